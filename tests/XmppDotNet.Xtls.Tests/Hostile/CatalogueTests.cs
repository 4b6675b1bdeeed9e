using System.Reflection;
using System.Text.RegularExpressions;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// Keeps Hostile/README.md true: every test its table names is a test of this assembly, every row names
/// one, and every test in Hostile/ is in the catalogue, so a rename or a new hostile test breaks the build.
/// </summary>
public partial class CatalogueTests
{
    private static readonly string CataloguePath = Path.Combine(TestContext.CurrentContext.TestDirectory, "Hostile", "README.md");

    [Test]
    public void Every_test_the_catalogue_names_is_a_test_of_this_assembly()
    {
        string[] missing = [.. Rows().SelectMany(r => r.Tests).Distinct().Where(name => !IsTest(name)).Order(StringComparer.Ordinal)];

        Assert.That(missing, Is.Empty, "named in Hostile/README.md but not a test method here");
    }

    [Test]
    public void Every_test_the_catalogue_names_in_another_project_is_a_test_there()
    {
        string[] named = [.. Rows().SelectMany(r => r.ForeignTests).Distinct()];
        string? root = RepositoryRoot();
        if (root is null)
        {
            Assert.Ignore("The sources of the other test projects are not next to this test run.");
        }

        string[] missing = [.. named.Where(name => !IsTestInSources(root, name)).Order(StringComparer.Ordinal)];

        Assert.That(named, Is.Not.Empty);
        Assert.That(missing, Is.Empty, "named in Hostile/README.md but not a [Test] method in that project's sources");
    }

    [Test]
    public void Every_row_names_a_test()
    {
        Row[] rows = Rows();

        Assert.That(rows, Has.Length.GreaterThan(50));
        Assert.That(rows.Where(r => r.Tests.Length + r.ForeignTests.Length == 0).Select(r => r.Input), Is.Empty);
        Assert.That(rows.Where(r => r.Cells != 5).Select(r => r.Input), Is.Empty, "input | layer | on the wire | in the API | tests");
    }

    [Test]
    public void Every_test_in_hostile_is_in_the_catalogue()
    {
        HashSet<string> named = [.. Rows().SelectMany(r => r.Tests)];
        string[] uncatalogued =
        [
            .. TestMethods()
                .Where(m => m.DeclaringType!.Namespace == typeof(CatalogueTests).Namespace && m.DeclaringType != typeof(CatalogueTests))
                .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
                .Where(name => !named.Contains(name))
                .Order(StringComparer.Ordinal),
        ];

        Assert.That(uncatalogued, Is.Empty, "tests in Hostile/ without a row in Hostile/README.md");
    }

    private static Row[] Rows()
    {
        Assert.That(File.Exists(CataloguePath), Is.True, CataloguePath);
        return
        [
            .. File.ReadLines(CataloguePath)
                .Where(line => line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal) && !line.StartsWith("| Input |", StringComparison.Ordinal))
                .Select(ParseRow),
        ];
    }

    private static Row ParseRow(string line)
    {
        string[] cells = line.Trim().Trim('|').Split(" | ");
        string[] tests = [.. TestName().Matches(cells[^1]).Select(m => m.Groups[1].Value)];
        string[] foreign = [.. ForeignTestName().Matches(cells[^1]).Select(m => m.Groups[1].Value)];
        return new Row(cells[0].Trim(), cells.Length, tests, foreign);
    }

    private static bool IsTest(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string type = name[..dot];
        string method = name[(dot + 1)..];
        return TestMethods().Count(m => m.DeclaringType!.Name == type && m.Name == method) == 1
            || TestMethods().Any(m => m.DeclaringType!.Name.StartsWith(type + "`", StringComparison.Ordinal) && m.Name == method);
    }

    private static IEnumerable<MethodInfo> TestMethods() =>
        typeof(CatalogueTests).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsPublic)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes().Any(a => a is TestAttribute or TestCaseAttribute or TestCaseSourceAttribute));

    /// <summary>The directory holding XmppDotNet.Xtls.sln, above the test run's directory, or null.</summary>
    private static string? RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "XmppDotNet.Xtls.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary><c>Project:Class.Method</c> names a [Test] method in <c>tests/XmppDotNet.Xtls.Project/**/Class.cs</c>.</summary>
    private static bool IsTestInSources(string root, string name)
    {
        Match parts = ForeignParts().Match(name);
        string project = Path.Combine(root, "tests", "XmppDotNet.Xtls." + parts.Groups[1].Value);
        if (!parts.Success || !Directory.Exists(project))
        {
            return false;
        }

        var declaration = new Regex(@"\[Test(Case[^\]]*)?\]\s*(\[[^\]]*\]\s*)*public (async Task|void) " + Regex.Escape(parts.Groups[3].Value) + @"\(");
        return Directory.EnumerateFiles(project, parts.Groups[2].Value + ".cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Any(file => declaration.IsMatch(File.ReadAllText(file)));
    }

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*\.[A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"`([A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)*:[A-Z][A-Za-z0-9]*\.[A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex ForeignTestName();

    [GeneratedRegex(@"^([A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)*):([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex ForeignParts();

    private sealed record Row(string Input, int Cells, string[] Tests, string[] ForeignTests);
}
