namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>
/// The xtls program as a user gets it: <c>dotnet tool install XmppDotNet.Xtls.Tool</c> from
/// artifacts/packages (into a tool path of its own, so the machine's global tools stay as they are),
/// then <c>xtls</c>.
/// </summary>
[TestFixture]
[Category("Packaging")]
public sealed class ToolPackageTests
{
    private TemporaryFolder _folder = null!;
    private string _packages = null!;
    private string _xtls = null!;

    [OneTimeSetUp]
    public async Task InstallTheTool()
    {
        PackedBuild.Package(PackedBuild.Tool);
        _folder = new TemporaryFolder();
        _packages = _folder.Combine("nuget-packages");
        string config = NuGetConfiguration.Write(_folder.Path, onlyThisBuild: true);
        string toolPath = _folder.Combine("tools");

        ProcessResult install = await ChildProcess.DotNetAsync(
            _folder.Path, _packages, "tool", "install", PackedBuild.Tool, "--version", PackedBuild.Version, "--tool-path", toolPath, "--configfile", config);

        Assert.That(install.ExitCode, Is.EqualTo(0), install.ToString());
        _xtls = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "xtls.exe" : "xtls");
        Assert.That(File.Exists(_xtls), Is.True, $"no command xtls in {toolPath}\n{install}");
    }

    [OneTimeTearDown]
    public void CleanUp() => _folder?.Dispose();

    [Test]
    public async Task Help_shows_the_usage_of_the_xtls_command()
    {
        ProcessResult help = await RunAsync("--help");

        Assert.That(help.ExitCode, Is.EqualTo(0), help.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(help.Output, Does.Contain("Usage:" + Environment.NewLine + "  xtls [command] [options]"), help.ToString());
            Assert.That(help.Output, Does.Contain("chat"), help.ToString());
            Assert.That(help.Output, Does.Contain("fingerprint"), help.ToString());
        });
    }

    [Test]
    public async Task The_version_is_the_package_version_with_the_commit_when_built_from_git()
    {
        ProcessResult version = await RunAsync("--version");

        Assert.That(version.ExitCode, Is.EqualTo(0), version.ToString());
        Assert.That(version.Output.Trim(), Does.Match("^" + System.Text.RegularExpressions.Regex.Escape(PackedBuild.Version) + @"(\+[0-9a-f]{40})?$"), version.ToString());
    }

    [Test]
    public async Task The_demo_runs_and_its_checks_hold()
    {
        ProcessResult demo = await RunAsync();

        Assert.That(demo.ExitCode, Is.EqualTo(0), demo.ToString());
        Assert.That(demo.Output, Does.Match(@"checks +OK: 4 of 4 messages arrived intact, from the right sender, through the tunnel; the server saw none of their text"), demo.ToString());
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ChildProcess.RunAsync(_xtls, arguments, _folder.Path, _packages);
}
