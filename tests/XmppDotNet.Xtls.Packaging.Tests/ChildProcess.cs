using System.Diagnostics;

namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>
/// Runs dotnet and installed programs as a user's shell would: without the MSBuild variables that the
/// test run itself has (they would point a nested build at this build's MSBuild), with NuGet's package
/// folder in the fixture's own folder (so that nothing of this build's packages is cached for later
/// runs, whatever NUGET_PACKAGES says), and without build servers that outlive the test.
/// </summary>
internal static class ChildProcess
{
    // Only catches a hang: a restore, build or install here takes seconds.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    /// <summary>The dotnet executable that runs the tests (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotNet { get; } = FindDotNet();

    /// <summary>Runs a program in a folder with the given NuGet packages folder; kills it if it hangs.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, string nugetPackages)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(IsFromThisTestRun).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["NUGET_PACKAGES"] = nugetPackages;
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotNet);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["NO_COLOR"] = "1";

        string command = $"{Path.GetFileName(program)} {string.Join(' ', start.ArgumentList)}";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(hang.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{command} did not end within {Bound.TotalMinutes} minutes.");
        }

        return new ProcessResult(command, process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Runs dotnet with arguments.</summary>
    public static Task<ProcessResult> DotNetAsync(string workingDirectory, string nugetPackages, params string[] arguments) =>
        RunAsync(DotNet, arguments, workingDirectory, nugetPackages);

    private static bool IsFromThisTestRun(string name) =>
        name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("NUGET_FALLBACK_PACKAGES", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase);

    private static string FindDotNet()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        string? path = !string.IsNullOrEmpty(host) && File.Exists(host)
            ? host
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"))
                .FirstOrDefault(File.Exists);
        if (path is null)
        {
            throw new InvalidOperationException("dotnet is neither DOTNET_HOST_PATH nor on PATH.");
        }

        // /usr/bin/dotnet is often a link into the installation, which DOTNET_ROOT must name.
        return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
    }
}
