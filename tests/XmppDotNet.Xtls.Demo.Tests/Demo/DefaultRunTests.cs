using System.Text.RegularExpressions;
using XmppDotNet.Xtls.Demo.Demo;

namespace XmppDotNet.Xtls.Demo.Tests.Demo;

/// <summary>The README's main job: <c>xtls</c> without arguments, as a test of its exit code and of the facts it reports.</summary>
[TestFixture]
public sealed partial class DefaultRunTests
{
    // Words of the conversation that appear nowhere else on the page (the names are in every JID).
    private static readonly string[] SecretWords = ["light", "yonder", "window", "wherefore", "baptized", "Parting", "sorrow"];

    private TemporaryDirectory _config = null!;
    private ProgramRun _run = null!;

    [OneTimeSetUp]
    public async Task RunTheDemo()
    {
        _config = new TemporaryDirectory();
        _run = await ProgramRun.RunAsync([], _config.Path);
    }

    [OneTimeTearDown]
    public void CleanUp() => _config.Dispose();

    [Test]
    public void It_exits_0_and_writes_nothing_to_standard_error()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.Error + _run.Output);
        Assert.That(_run.Error, Is.Empty);
    }

    [Test]
    public void It_shows_both_fingerprints_once_as_an_identity_and_once_as_verified_by_the_other_side()
    {
        var fingerprints = FullFingerprint().Matches(_run.Output).Select(m => m.Value).ToList();

        Assert.That(fingerprints.Distinct().Count(), Is.EqualTo(2), _run.Output);
        Assert.That(fingerprints.GroupBy(f => f).Select(g => g.Count()), Is.All.EqualTo(2), _run.Output);
    }

    [Test]
    public void It_shows_start_proceed_the_handshake_chunks_and_the_closing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_run.Output, Does.Contain("romeo -> juliet  <start/>"));
            Assert.That(_run.Output, Does.Contain("juliet -> romeo  <proceed/>"));
            Assert.That(_run.Output, Does.Match("romeo -> juliet  <data/> +method=\"x509\"; \\d+ bytes of TLS as \\d+ Base64 characters: ClientHello"));
            Assert.That(_run.Output, Does.Match("juliet -> romeo  <data/> +\\d+ bytes of TLS as \\d+ Base64 characters: ServerHello"));
            Assert.That(_run.Output, Does.Contain("close_notify"));
            Assert.That(_run.Output, Does.Contain("<close/>"));
            Assert.That(_run.Output, Does.Contain("<closed/>"));
        });
    }

    [Test]
    public void It_reports_TLS_1_3_an_AEAD_suite_and_mutual_certificate_authentication()
    {
        Match open = Regex.Match(_run.Output, @"tunnel +open +after \d+ ms: (?<version>\S+), (?<suite>\S+), method (?<method>\S+)");

        Assert.That(open.Success, Is.True, _run.Output);
        Assert.That(open.Groups["version"].Value, Is.EqualTo("TLSv1.3"));
        Assert.That(open.Groups["suite"].Value, Does.StartWith("TLS_AES_").Or.StartWith("TLS_CHACHA20_"));
        Assert.That(open.Groups["method"].Value, Is.EqualTo("x509"));
    }

    [Test]
    public void Every_line_of_the_conversation_arrives_with_its_addresses_restored()
    {
        string[] received = Rows("received");

        Assert.That(received, Has.Length.EqualTo(DemoScenario.Lines.Count));
        for (int i = 0; i < received.Length; i++)
        {
            bool byRomeo = i % 2 == 0;
            string from = byRomeo ? "romeo@capulet.lit/orchard" : "juliet@capulet.lit/balcony";
            string to = byRomeo ? "juliet@capulet.lit/balcony" : "romeo@capulet.lit/orchard";
            Assert.That(received[i], Does.Contain($"<body>{DemoScenario.Lines[i]}</body>"));
            Assert.That(received[i], Does.Contain($"from='{from}'").And.Contain($"to='{to}'"));
        }
    }

    [Test]
    public void What_the_server_saw_is_Base64_in_an_IQ_and_holds_no_plaintext()
    {
        string[] saw = Rows("saw");

        Assert.That(saw, Has.Length.EqualTo(DemoScenario.Lines.Count));
        foreach (string line in saw)
        {
            Assert.That(line, Does.StartWith("<iq type='set'").And.Contain("<data xmlns='urn:xmpp:tmp:xtls'>"));
            Assert.That(line, Does.Not.Contain("<body"));
            foreach (string text in DemoScenario.Lines)
            {
                Assert.That(line, Does.Not.Contain(text));
            }

            foreach (string word in SecretWords)
            {
                Assert.That(line, Does.Not.Contain(word).IgnoreCase);
            }
        }
    }

    [Test]
    public void The_summary_counts_round_trips_bytes_and_time_and_the_checks_passed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_run.Output, Does.Match(@"round trips +\d+ IQ round trips: \d+ to open, 4 for 4 messages, \d+ to close"));
            Assert.That(_run.Output, Does.Match(@"messages +\d+ bytes of stanzas -> \d+ bytes of TLS records -> \d+ Base64 characters"));
            Assert.That(_run.Output, Does.Match(@"time +handshake \d+ ms; a message \d+ ms"));
            Assert.That(_run.Output, Does.Contain("checks       OK: 4 of 4 messages arrived intact"));
        });
    }

    [Test]
    public void Redirected_output_is_plain_text()
    {
        Assert.That(_run.Output, Does.Not.Contain("\u001b["));
        Assert.That(_run.Output, Does.Contain("== 1  Two clients log in"));
    }

    [Test]
    public async Task A_terminal_gets_colour_unless_NO_COLOR_is_set()
    {
        ProgramRun coloured = await ProgramRun.RunAsync([], _config.Path, outputIsTerminal: true);
        ProgramRun plain = await ProgramRun.RunAsync([], _config.Path, new Dictionary<string, string> { ["NO_COLOR"] = "1" }, outputIsTerminal: true);

        Assert.That(coloured.ExitCode, Is.EqualTo(0));
        Assert.That(coloured.Output, Does.Contain("\u001b[32mromeo\u001b[0m"));
        Assert.That(plain.ExitCode, Is.EqualTo(0));
        Assert.That(plain.Output, Does.Not.Contain("\u001b["));
    }

    // The detail column of the rows whose second column is the given word, e.g. "saw" or "received".
    private string[] Rows(string what) =>
        _run.OutputLines
            .Select(line => Regex.Match(line, $@"^ {{2}}\S+ +{what} +(?<detail>.+)$"))
            .Where(m => m.Success)
            .Select(m => m.Groups["detail"].Value)
            .ToArray();

    [GeneratedRegex("(?<![0-9A-F:])(?:[0-9A-F]{2}:){31}[0-9A-F]{2}(?![0-9A-F:])")]
    private static partial Regex FullFingerprint();
}
