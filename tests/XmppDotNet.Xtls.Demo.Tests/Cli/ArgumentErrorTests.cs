namespace XmppDotNet.Xtls.Demo.Tests.Cli;

/// <summary>Wrong arguments end with exit code 2 and one line on standard error, before anything connects.</summary>
[TestFixture]
public sealed class ArgumentErrorTests
{
    private const string Fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    private static readonly Dictionary<string, string> WithPassword = new() { ["XTLS_PASSWORD"] = "secret" };

    private TemporaryDirectory _config = null!;

    [SetUp]
    public void SetUp() => _config = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _config.Dispose();

    [TestCase(new[] { "bogus" }, "Unrecognized command or argument 'bogus'", TestName = "An unknown command")]
    [TestCase(new[] { "--bogus" }, "Unrecognized command or argument '--bogus'", TestName = "An unknown option")]
    [TestCase(new[] { "chat", "--peer", "juliet@capulet.lit/balcony" }, "Option '--jid' is required", TestName = "chat without --jid")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit" }, "give --peer JID (open tunnels) or --accept (wait for one)", TestName = "chat without --peer or --accept")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--peer", "juliet@capulet.lit/balcony", "--accept" }, "--peer and --accept exclude each other", TestName = "chat with --peer and --accept")]
    [TestCase(new[] { "chat", "--jid", "capulet.lit", "--accept" }, "is not an account JID", TestName = "chat with a JID without a user")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--peer", "capulet.lit" }, "is not a contact's JID", TestName = "chat to a domain")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit/orchard", "--peer", "romeo@capulet.lit/orchard" }, "--peer names your own JID", TestName = "chat with oneself")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit/orchard", "--peer", "romeo@capulet.lit" }, "--peer names your own JID", TestName = "chat with one's own account")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--peer", "juliet@capulet.lit", "--wait", "0" }, "--wait 0 is out of range", TestName = "chat waiting no time")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--peer", "juliet@capulet.lit", "--wait", "86401" }, "--wait 86401 is out of range", TestName = "chat waiting over a day")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--peer", "juliet@capulet.lit", "--expect-fingerprint", Fingerprint, "--expect-fingerprint", "AB" }, "'AB' is not a SHA-256 fingerprint", TestName = "chat expecting a second fingerprint that is malformed")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--accept", "not a jid@" }, "--accept 'not a jid@' is not a JID", TestName = "chat accepting a malformed JID")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--accept", "--port", "0" }, "--port 0 is not a port number", TestName = "chat with port 0")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--accept", "--port", "http" }, "Cannot parse argument 'http' for option '--port'", TestName = "chat with a port that is not a number")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--accept", "--expect-fingerprint", "AB:CD" }, "is not a SHA-256 fingerprint", TestName = "chat expecting a short fingerprint")]
    [TestCase(new[] { "chat", "--jid", "romeo@capulet.lit", "--accept", "--srp", "--expect-fingerprint", Fingerprint }, "--expect-fingerprint and --srp do not go together", TestName = "chat expecting a fingerprint with SRP")]
    public async Task Wrong_arguments_exit_with_2_and_one_line_on_standard_error(string[] args, string reason)
    {
        ProgramRun run = await ProgramRun.RunAsync(args, _config.Path, WithPassword);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Output, Is.Empty);
        Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.Error);
        Assert.That(run.ErrorLines[0], Does.StartWith("xtls: error: ").And.Contain(reason));
        Assert.That(Directory.EnumerateFileSystemEntries(_config.Path), Is.Empty, "nothing is created before the arguments are right");
    }

    [Test]
    public async Task Without_XTLS_PASSWORD_and_without_a_terminal_chat_asks_for_the_variable()
    {
        ProgramRun run = await ProgramRun.RunAsync(["chat", "--jid", "romeo@capulet.lit", "--accept"], _config.Path);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ErrorLines.Single(), Is.EqualTo("xtls: error: no account password: set XTLS_PASSWORD (standard input is not a terminal, so there is no prompt)"));
    }

    [Test]
    public async Task With_srp_and_without_XTLS_SRP_PASSWORD_chat_asks_for_that_variable()
    {
        ProgramRun run = await ProgramRun.RunAsync(["chat", "--jid", "romeo@capulet.lit", "--accept", "--srp"], _config.Path, WithPassword);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ErrorLines.Single(), Does.Contain("set XTLS_SRP_PASSWORD"));
    }

    [Test]
    public async Task A_missing_server_certificate_file_is_a_usage_error()
    {
        string missing = _config.File("nowhere.pem");

        ProgramRun run = await ProgramRun.RunAsync(["chat", "--jid", "romeo@capulet.lit", "--accept", "--server-cert", missing], _config.Path, WithPassword);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ErrorLines.Single(), Is.EqualTo($"xtls: error: --server-cert '{missing}' does not exist"));
    }

    [Test]
    public async Task A_server_certificate_file_that_holds_no_certificate_is_a_usage_error()
    {
        string garbage = _config.File("garbage.pem");
        await File.WriteAllTextAsync(garbage, "this is not a certificate");

        ProgramRun run = await ProgramRun.RunAsync(["chat", "--jid", "romeo@capulet.lit", "--accept", "--server-cert", garbage], _config.Path, WithPassword);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ErrorLines.Single(), Does.StartWith($"xtls: error: --server-cert '{garbage}' is not a readable certificate"));
    }

    [Test]
    public async Task An_unreachable_server_is_exit_code_3()
    {
        ProgramRun run = await ProgramRun.RunAsync(
            ["chat", "--jid", "romeo@capulet.lit", "--accept", "--server", "127.0.0.1", "--port", "1", "--identity", _config.File("me.pem"), "--known-peers", _config.File("known.txt"), "--quiet"],
            _config.Path,
            WithPassword);

        Assert.That(run.ExitCode, Is.EqualTo(3));
        Assert.That(run.ErrorLines.Single(), Does.StartWith("xtls: error: cannot log in at 127.0.0.1:1: Could not connect"));
    }
}
