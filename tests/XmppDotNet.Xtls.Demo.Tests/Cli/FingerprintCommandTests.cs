using System.Runtime.Versioning;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Tests.Cli;

[TestFixture]
public sealed class FingerprintCommandTests
{
    private TemporaryDirectory _config = null!;

    [SetUp]
    public void SetUp() => _config = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _config.Dispose();

    [Test]
    public async Task It_creates_the_identity_on_first_use_and_prints_its_fingerprint_alone_on_standard_output()
    {
        string file = _config.File("me.pem");

        ProgramRun run = await ProgramRun.RunAsync(["fingerprint", "--identity", file], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(File.Exists(file), Is.True);
        Assert.That(run.OutputLines, Has.Length.EqualTo(1));
        Assert.That(run.OutputLines[0], Is.EqualTo(XtlsIdentity.LoadPemFile(file).Fingerprint.ToString()));
        Assert.That(run.OutputLines[0], Does.Match("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"));
        Assert.That(run.Error, Does.Contain("created a new identity in " + file));
    }

    [Test]
    public async Task The_fingerprint_is_stable_across_runs_and_the_file_is_not_rewritten()
    {
        string file = _config.File("me.pem");
        ProgramRun first = await ProgramRun.RunAsync(["fingerprint", "--identity", file], _config.Path);
        byte[] content = await File.ReadAllBytesAsync(file);

        ProgramRun second = await ProgramRun.RunAsync(["fingerprint", "--identity", file], _config.Path);

        Assert.That(second.ExitCode, Is.EqualTo(0));
        Assert.That(second.Output, Is.EqualTo(first.Output));
        Assert.That(await File.ReadAllBytesAsync(file), Is.EqualTo(content));
        Assert.That(second.Error, Does.Not.Contain("created"));
    }

    [Test]
    public async Task Without_identity_it_uses_xtls_identity_pem_in_the_configuration_folder()
    {
        ProgramRun run = await ProgramRun.RunAsync(["fingerprint"], _config.Path);

        string expected = Path.Combine(_config.Path, "xtls", "identity.pem");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(File.Exists(expected), Is.True);
        Assert.That(run.OutputLines[0], Is.EqualTo(XtlsIdentity.LoadPemFile(expected).Fingerprint.ToString()));
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public async Task The_identity_file_is_readable_by_its_owner_only()
    {
        string file = _config.File("me.pem");

        await ProgramRun.RunAsync(["fingerprint", "--identity", file], _config.Path);

        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task A_damaged_identity_file_is_a_usage_error_with_one_line_on_standard_error_and_is_left_alone()
    {
        string file = _config.File("me.pem");
        await File.WriteAllTextAsync(file, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        ProgramRun run = await ProgramRun.RunAsync(["fingerprint", "--identity", file], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Output, Is.Empty);
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(run.ErrorLines[0], Does.StartWith("xtls: error: ").And.Contain(file));
        Assert.That(await File.ReadAllTextAsync(file), Does.Contain("not base64"));
    }

    [Test]
    public async Task Without_a_configuration_folder_the_identity_must_be_named()
    {
        ProgramRun run = await ProgramRun.RunAsync(["fingerprint"], configDirectory: string.Empty);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ErrorLines.Single(), Does.Contain("--identity"));
    }
}
