using XmppDotNet.Xtls.Load.Memory;

namespace XmppDotNet.Xtls.Tests.Load;

/// <summary>The memory run's command line: defaults, every option, and bad arguments refused.</summary>
[TestFixture]
public class MemoryRunOptionsTests
{
    private static readonly int[] DefaultPayloads = [256];
    private static readonly int[] MixedPayloads = [64, 1024];

    [Test]
    public void No_arguments_give_the_full_run()
    {
        MemoryRunOptions? options = MemoryRunOptions.Parse([], out string? error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(options!.Tunnels, Is.EqualTo(10_000));
            Assert.That(options.Stanzas, Is.EqualTo(1_000_000));
            Assert.That(options.Payloads, Is.EqualTo(DefaultPayloads));
        }
    }

    [Test]
    public void Every_option_is_read()
    {
        MemoryRunOptions? options = MemoryRunOptions.Parse(
            ["--tunnels", "50", "--stanzas", "900", "--payload", "64,1024", "--window", "3", "--timeout", "90", "--out", "somewhere"],
            out _);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options!.Tunnels, Is.EqualTo(50));
            Assert.That(options.Stanzas, Is.EqualTo(900));
            Assert.That(options.Payloads, Is.EqualTo(MixedPayloads));
            Assert.That(options.Window, Is.EqualTo(3));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(options.Out, Is.EqualTo("somewhere"));
        }
    }

    [TestCase("--tunnels", "0")]
    [TestCase("--tunnels", "100001")]
    [TestCase("--tunnels", "-5")]
    [TestCase("--stanzas", "many")]
    [TestCase("--payload", "0")]
    [TestCase("--payload", "256,")]
    [TestCase("--payload", "70000")]
    [TestCase("--window", "0")]
    [TestCase("--timeout", "0")]
    [TestCase("--frobnicate", "1")]
    public void A_bad_option_or_value_is_refused(string name, string value)
    {
        MemoryRunOptions? options = MemoryRunOptions.Parse([name, value], out string? error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options, Is.Null);
            Assert.That(error, Does.Contain(name));
        }
    }

    [Test]
    public void An_option_without_a_value_is_refused()
    {
        Assert.That(MemoryRunOptions.Parse(["--tunnels"], out string? error), Is.Null);
        Assert.That(error, Does.Contain("needs a value"));
    }
}
