namespace XmppDotNet.Xtls.Demo.Tests.Cli;

[TestFixture]
public sealed class HelpTests
{
    private TemporaryDirectory _config = null!;

    [SetUp]
    public void SetUp() => _config = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _config.Dispose();

    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("-?")]
    public async Task The_program_help_lists_the_commands_and_the_exit_codes(string option)
    {
        ProgramRun run = await ProgramRun.RunAsync([option], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Error, Is.Empty);
        Assert.That(run.Output, Does.Contain("Usage:").And.Contain(" [command] [options]"));
        Assert.That(run.Output, Does.Contain("  chat ").And.Contain("  fingerprint "));
        AssertExitCodes(run.Output);
    }

    [Test]
    public async Task The_chat_help_names_every_option_the_password_variables_and_the_exit_codes()
    {
        ProgramRun run = await ProgramRun.RunAsync(["chat", "--help"], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        foreach (string option in new[] { "--jid", "--server", "--port", "--server-cert", "--peer", "--accept", "--identity", "--known-peers", "--expect-fingerprint", "--srp", "--json", "--quiet" })
        {
            Assert.That(run.Output, Does.Contain(option + " ").Or.Contain(option + ","), option);
        }

        Assert.That(run.Output, Does.Contain("XTLS_PASSWORD").And.Contain("XTLS_SRP_PASSWORD"));
        Assert.That(run.Output, Does.Not.Contain("--password"));
        AssertExitCodes(run.Output);
    }

    [Test]
    public async Task Help_wins_over_missing_required_options()
    {
        ProgramRun run = await ProgramRun.RunAsync(["chat", "--help"], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Error, Is.Empty);
    }

    [Test]
    public async Task The_fingerprint_help_names_its_option()
    {
        ProgramRun run = await ProgramRun.RunAsync(["fingerprint", "--help"], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Output, Does.Contain("--identity <FILE>"));
        Assert.That(Directory.EnumerateFileSystemEntries(_config.Path), Is.Empty, "help creates no identity");
    }

    private static void AssertExitCodes(string help)
    {
        Assert.That(help, Does.Contain("Exit codes:"));
        foreach (string code in new[] { "0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "130 " })
        {
            Assert.That(help, Does.Match($@"\n  {code.Trim()} +\S"), code);
        }
    }
}
