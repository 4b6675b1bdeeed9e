// Build script of XmppDotNet.Xtls. Run it through ./build.sh, for example:
//   ./build.sh --target=Test                          build everything, run every test
//   ./build.sh --target=Demo --demo-args="--help"     build, then run the demo program
//   ./build.sh --target=Bench                         build, then run the macro benchmark (artifacts/bench)
//   ./build.sh --target=Load --load=memory            build, then run load runs (artifacts/load)
//   ./build.sh --target=Pack                          the packages and the xtls tool package (artifacts/packages)
//   ./build.sh --target=PublicApi                     record new public API in PublicAPI.Unshipped.txt
// Targets: Clean, Restore, Build, Pack, Test (default; packs first: the packaging tests install the
// packages), Demo, Bench, Load, PublicApi.
//
// The public API of the two libraries is tracked (docs/testing.md, "Public API"): a public member that
// PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt do not list fails the build (RS0016), and so does a
// listed one that is gone (RS0017). After adding or merging public API, record it with
//   ./build.sh --target=PublicApi
// which builds each library once, offline, and from the analyzer's own messages deletes the lines reported
// as RS0017 and adds the symbols reported as RS0016. Review the change to PublicAPI.Unshipped.txt like any other.

using System.Text.RegularExpressions;
using System.Xml.Linq;

var target = Argument("target", "Default");
var demoArguments = Argument("demo-args", string.Empty);
var benchArguments = Argument("bench-args", string.Empty);
var loadRuns = Argument("load", "memory,prosody");
var loadArguments = Argument("load-args", string.Empty);

const string Configuration = "Release";
var solution = File("./XmppDotNet.Xtls.sln");
var artifacts = Directory("./artifacts");
var testResults = artifacts + Directory("test-results");
var packages = artifacts + Directory("packages");
var runSettings = File("./tests/test.runsettings");
var libraries = new[]
{
    "./src/XmppDotNet.Xtls.Host/XmppDotNet.Xtls.Host.csproj",
    "./src/XmppDotNet.Xtls/XmppDotNet.Xtls.csproj",
};
var demoProject = "./src/XmppDotNet.Xtls.Demo";
var toolProject = "./src/XmppDotNet.Xtls.Demo/XmppDotNet.Xtls.Demo.csproj";
var benchProject = "./tests/XmppDotNet.Xtls.Benchmarks";
var benchResults = artifacts + Directory("bench");
var loadProject = "./tests/XmppDotNet.Xtls.Load";
var loadResults = artifacts + Directory("load");

// Printed after everything else, Cake's own task report included, so that it is the last line.
string testSummaryLine = null;

Task("Clean")
    .Description("Deletes artifacts and every bin/obj folder.")
    .Does(() =>
{
    foreach (var folder in GetDirectories("./src/*/bin").Concat(GetDirectories("./src/*/obj"))
        .Concat(GetDirectories("./tests/*/bin")).Concat(GetDirectories("./tests/*/obj")))
    {
        DeleteDirectory(folder, new DeleteDirectorySettings { Recursive = true, Force = true });
    }

    if (DirectoryExists(artifacts))
    {
        DeleteDirectory(artifacts, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
});

Task("Restore")
    .Description("Restores the NuGet packages of the solution.")
    .Does(() =>
{
    DotNetRestore(solution);
});

Task("Build")
    .Description("Builds the whole solution in Release (warnings are errors).")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings
    {
        Configuration = Configuration,
        NoRestore = true,
    });
});

Task("Test")
    .Description("Runs every test project; the last line of output is 'N passed, N failed, N skipped'.")
    // The packaging tests install the tool and build a program against the packages of this build.
    .IsDependentOn("Pack")
    .Does(() =>
{
    // Only this run's result files may be counted.
    EnsureDirectoryExists(testResults);
    CleanDirectory(testResults);

    var exitCode = 0;
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = Configuration,
        NoBuild = true,
        NoRestore = true,
        Settings = runSettings,
        Loggers = new[] { "trx" },
        ResultsDirectory = testResults,
        HandleExitCode = code =>
        {
            exitCode = code;
            return true;
        },
    });

    var runs = GetFiles(testResults.Path.FullPath + "/*.trx")
        .Select(file => TrxRun.Read(file.FullPath))
        .OrderBy(run => run.Assembly, StringComparer.Ordinal)
        .ToList();
    foreach (var run in runs)
    {
        Information("  {0,-45} passed {1,5}   failed {2,5}   skipped {3,5}{4}",
            run.Assembly, run.Passed, run.Failed, run.Skipped, run.NoTestsFound ? "   (no tests)" : string.Empty);
    }

    var passed = runs.Sum(run => run.Passed);
    var failed = runs.Sum(run => run.Failed);
    var skipped = runs.Sum(run => run.Skipped);
    testSummaryLine = $"{passed} passed, {failed} failed, {skipped} skipped";

    // TreatNoTestsAsError fails a test assembly that has no tests yet. A project that is still
    // empty must not break everyone's build, so that alone is a warning; anything else that made
    // the run fail (a crash, an abort, a project without results) is an error.
    foreach (var empty in runs.Where(run => run.NoTestsFound))
    {
        Warning("{0} has no tests yet: reported, but not a failure while other assemblies have tests.", empty.Assembly);
    }

    var expectedRuns = CountTestProjects(solution);
    var runFailedForOtherReasons = exitCode != 0
        && (runs.Count < expectedRuns || runs.Any(run => !run.NoTestsFound && run.Outcome != "Completed"));
    if (failed > 0)
    {
        throw new CakeException($"{failed} test(s) failed.");
    }

    if (runFailedForOtherReasons)
    {
        throw new CakeException($"The test run failed (dotnet test exit code {exitCode}, {runs.Count} result file(s) for {expectedRuns} test project(s)).");
    }

    if (passed == 0)
    {
        throw new CakeException("No test ran.");
    }
});

Task("Pack")
    .Description("Makes the NuGet packages of the two libraries (with .snupkg symbols) and of the xtls tool in artifacts/packages.")
    .IsDependentOn("Build")
    .Does(() =>
{
    EnsureDirectoryExists(packages);
    CleanDirectory(packages);
    foreach (var project in libraries.Append(toolProject))
    {
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = Configuration,
            NoBuild = true,
            NoRestore = true,
            OutputDirectory = packages,
        });
    }
});

Task("Demo")
    .Description("Runs the demo program; pass its arguments with --demo-args=\"...\".")
    .IsDependentOn("Build")
    .Does(() =>
{
    var arguments = new ProcessArgumentBuilder();
    if (!string.IsNullOrWhiteSpace(demoArguments))
    {
        arguments.Append(demoArguments);
    }

    DotNetRun(demoProject, arguments, new DotNetRunSettings
    {
        Configuration = Configuration,
        NoBuild = true,
        NoRestore = true,
    });
});

Task("Bench")
    .Description("Runs the macro benchmark in Release; writes macro.md and macro.json to artifacts/bench. More options with --bench-args=\"...\".")
    .IsDependentOn("Build")
    .Does(() =>
{
    EnsureDirectoryExists(benchResults);
    var arguments = new ProcessArgumentBuilder()
        .Append("macro")
        .Append("--out")
        .AppendQuoted(MakeAbsolute(benchResults).FullPath);
    if (!string.IsNullOrWhiteSpace(benchArguments))
    {
        arguments.Append(benchArguments);
    }

    DotNetRun(benchProject, arguments, new DotNetRunSettings
    {
        Configuration = Configuration,
        NoBuild = true,
        NoRestore = true,
    });
});

Task("Load")
    .Description("Runs the load runs named by --load (default memory,prosody) in Release; writes NAME.md and NAME.json to artifacts/load. More options with --load-args=\"...\".")
    .IsDependentOn("Build")
    .Does(() =>
{
    EnsureDirectoryExists(loadResults);
    foreach (var run in loadRuns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        var arguments = new ProcessArgumentBuilder()
            .Append(run)
            .Append("--out")
            .AppendQuoted(MakeAbsolute(loadResults).FullPath);
        if (!string.IsNullOrWhiteSpace(loadArguments))
        {
            arguments.Append(loadArguments);
        }

        // A run that did not meet its conditions exits non-zero, and so does this target.
        DotNetRun(loadProject, arguments, new DotNetRunSettings
        {
            Configuration = Configuration,
            NoBuild = true,
            NoRestore = true,
        });
    }
});

Task("PublicApi")
    .Description("Records new public API of the libraries in their PublicAPI.Unshipped.txt and drops removed API, offline.")
    .Does(() =>
{
    // One build per library reports what is missing (RS0016) and what no longer exists (RS0017), each with
    // the exact line the analyzer expects; the build fails while anything is unrecorded. The analyzer's code
    // fix is not used: it leaves out the members the compiler generates for records.
    foreach (var library in libraries)
    {
        var project = MakeAbsolute(File(library));
        StartProcess("dotnet", new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder()
                .Append("build").AppendQuoted(project.FullPath)
                .Append("-c").Append(Configuration).Append("-nologo").Append("-p:TreatWarningsAsErrors=false"),
            RedirectStandardOutput = true,
        }, out IEnumerable<string> output);
        var lines = output.ToList();
        ForgetRemovedApi(lines);
        RecordNewApi(lines, project.GetDirectory().CombineWithFilePath("PublicAPI.Unshipped.txt").FullPath);
    }

    Information("Recorded. Review the change: git diff -- 'src/*/PublicAPI.*.txt'");
});

Task("Default")
    .IsDependentOn("Test");

var succeeded = true;
try
{
    RunTarget(target);
}
catch (Exception e)
{
    succeeded = false;
    Error("Error: {0}", e.InnerException?.Message ?? e.Message);
}

if (testSummaryLine is not null)
{
    Console.Out.WriteLine(testSummaryLine);
}

Console.Out.Flush();
if (!succeeded)
{
    Environment.Exit(1);
}

// Test projects are the ones dotnet test runs: they reference the test SDK or say IsTestProject.
static int CountTestProjects(FilePath solutionFile)
{
    var solutionText = System.IO.File.ReadAllText(solutionFile.FullPath);
    var directory = System.IO.Path.GetDirectoryName(solutionFile.FullPath);
    return Regex.Matches(solutionText, "\"([^\"]+\\.csproj)\"")
        .Select(match => System.IO.Path.Combine(directory, match.Groups[1].Value.Replace('\\', '/')))
        .Where(System.IO.File.Exists)
        .Select(System.IO.File.ReadAllText)
        .Count(project => project.Contains("<IsTestProject>true</IsTestProject>") || project.Contains("\"Microsoft.NET.Test.Sdk\""));
}

// Removes the lines that a build reported as RS0017 (declared, but no longer public or not found) from
// PublicAPI.Unshipped.txt; an API that had shipped is marked *REMOVED* in PublicAPI.Unshipped.txt instead,
// as the analyzer expects, so that the removal shows up as a change of the next release.
static void ForgetRemovedApi(IEnumerable<string> buildOutput)
{
    var reported = buildOutput
        .Select(line => Regex.Match(line, @"^\s*(?<file>\S.*?PublicAPI\.(?<kind>Shipped|Unshipped)\.txt)\((?<line>\d+),\d+\): (?:error|warning) RS0017:"))
        .Where(match => match.Success)
        .Select(match => (File: match.Groups["file"].Value, Shipped: match.Groups["kind"].Value == "Shipped", Line: int.Parse(match.Groups["line"].Value)))
        .Distinct()
        .ToList();
    foreach (var file in reported.GroupBy(entry => entry.File))
    {
        var lines = System.IO.File.ReadAllLines(file.Key).ToList();
        var numbers = file.Select(entry => entry.Line - 1).Where(index => index >= 0 && index < lines.Count).ToHashSet();
        if (file.First().Shipped)
        {
            var unshipped = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file.Key), "PublicAPI.Unshipped.txt");
            System.IO.File.AppendAllLines(unshipped, numbers.Order().Select(index => "*REMOVED*" + lines[index]));
        }
        else
        {
            System.IO.File.WriteAllLines(file.Key, lines.Where((_, index) => !numbers.Contains(index)));
        }

        Console.Out.WriteLine($"{file.Key}: {numbers.Count} removed API line(s) {(file.First().Shipped ? "marked *REMOVED* in PublicAPI.Unshipped.txt" : "deleted")}");
    }
}

// Adds the symbols a build reported as RS0016 (public, but not declared) to PublicAPI.Unshipped.txt,
// keeping its '#nullable enable' header first and the rest in the analyzer's order.
static void RecordNewApi(IEnumerable<string> buildOutput, string unshippedFile)
{
    var added = buildOutput
        .Select(line => Regex.Match(line, @"(?:error|warning) RS0016: Symbol '(?<symbol>.+)' is not part of the declared public API"))
        .Where(match => match.Success)
        .Select(match => match.Groups["symbol"].Value)
        .ToHashSet(StringComparer.Ordinal);
    if (added.Count == 0)
    {
        return;
    }

    var lines = System.IO.File.ReadAllLines(unshippedFile).Where(line => line.Length > 0).ToList();
    var header = lines.Where(line => line.StartsWith("#", StringComparison.Ordinal)).ToList();
    var entries = lines.Where(line => !line.StartsWith("#", StringComparison.Ordinal)).Concat(added)
        .Distinct(StringComparer.Ordinal)
        .OrderBy(line => line, StringComparer.OrdinalIgnoreCase)
        .ToList();
    System.IO.File.WriteAllLines(unshippedFile, header.Concat(entries));
    Console.Out.WriteLine($"{unshippedFile}: {added.Count} new API line(s) recorded");
}

// The counts of one TRX file (one test assembly), taken from its individual results: the
// summary counters of the NUnit adapter leave ignored tests out.
sealed class TrxRun
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private static readonly string[] SkippedOutcomes = { "NotExecuted", "Inconclusive", "Pending" };

    public string Assembly { get; private init; }
    public int Passed { get; private init; }
    public int Failed { get; private init; }
    public int Skipped { get; private init; }
    public string Outcome { get; private init; }
    public bool NoTestsFound { get; private init; }

    public static TrxRun Read(string path)
    {
        var document = XDocument.Load(path);
        var outcomes = document.Root.Elements(Trx + "Results").Elements(Trx + "UnitTestResult")
            .Select(result => (string)result.Attribute("outcome") ?? "missing")
            .ToList();
        var summary = document.Root.Element(Trx + "ResultSummary");
        var messages = summary?.Descendants(Trx + "RunInfo").Select(info => (string)info.Element(Trx + "Text") ?? string.Empty).ToList()
            ?? new List<string>();
        var noTestsMessage = messages.FirstOrDefault(text => text.StartsWith("No test is available in ", StringComparison.Ordinal));
        var passed = outcomes.Count(outcome => outcome == "Passed");
        var skipped = outcomes.Count(outcome => SkippedOutcomes.Contains(outcome));
        return new TrxRun
        {
            Assembly = AssemblyName(document, noTestsMessage) ?? System.IO.Path.GetFileName(path),
            Passed = passed,
            Skipped = skipped,
            // Any other outcome (Failed, Error, Timeout, Aborted, ...) is a failure.
            Failed = outcomes.Count - passed - skipped,
            Outcome = (string)summary?.Attribute("outcome") ?? "missing",
            NoTestsFound = outcomes.Count == 0 && noTestsMessage is not null,
        };
    }

    private static string AssemblyName(XDocument document, string noTestsMessage)
    {
        var codeBase = document.Root.Descendants(Trx + "TestMethod").Select(method => (string)method.Attribute("codeBase")).FirstOrDefault();
        if (codeBase is null && noTestsMessage is not null)
        {
            codeBase = Regex.Match(noTestsMessage, @"^No test is available in (.+?\.dll)").Groups[1].Value;
        }

        return string.IsNullOrEmpty(codeBase) ? null : System.IO.Path.GetFileName(codeBase);
    }
}
