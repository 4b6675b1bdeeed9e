using XmppDotNet.Xtls.Demo.Chat;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class TunnelFailuresTests
{
    [TestCase(TunnelCloseReason.ClosedLocally, false, 0)]
    [TestCase(TunnelCloseReason.ClosedByPeer, true, 0)]
    [TestCase(TunnelCloseReason.Refused, false, 4)]
    [TestCase(TunnelCloseReason.NotSupported, false, 4)]
    [TestCase(TunnelCloseReason.StartTimeout, false, 4)]
    [TestCase(TunnelCloseReason.TlsFailure, false, 5)]
    [TestCase(TunnelCloseReason.TlsFailure, true, 5)]
    [TestCase(TunnelCloseReason.ProgressTimeout, true, 6)]
    [TestCase(TunnelCloseReason.Spoofing, true, 6)]
    [TestCase(TunnelCloseReason.SessionEnded, true, 3)]
    public void Each_reason_has_its_documented_exit_code(TunnelCloseReason reason, bool wasOpen, int exitCode)
    {
        Assert.That(TunnelFailures.ExitCodeFor(reason, wasOpen), Is.EqualTo(exitCode));
    }

    [Test]
    public void Every_reason_is_described_in_one_sentence_naming_the_peer_or_the_server()
    {
        Jid peer = Jid.Parse("juliet@capulet.lit/balcony");
        foreach (TunnelCloseReason reason in Enum.GetValues<TunnelCloseReason>())
        {
            string sentence = TunnelFailures.Describe(peer, reason, "detail");

            Assert.That(sentence, Does.Contain(peer.ToString()).Or.Contain("server"), reason.ToString());
            Assert.That(sentence, Does.EndWith(": detail").And.Not.Contain("\n"), reason.ToString());
        }
    }
}
