using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

public class AutoEncryptAndTrustTests
{
    [Test]
    public async Task Automatic_encryption_opens_a_tunnel_for_a_peer_that_supports_xtls()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();

        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "sealed with a kiss")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(pair.RomeoXtls.GetTunnel(pair.Juliet.Jid), Is.Not.Null);
        Assert.That(pair.Routed.Any(s => s.Contains("sealed with a kiss", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task Automatic_encryption_sends_in_the_clear_to_a_peer_without_xtls()
    {
        await using var router = new InMemoryRouter("capulet.lit");
        router.AddAccount("romeo", "r-pass");
        router.AddAccount("nurse", "n-pass");
        await router.StartAsync();
        await using XmppClient romeo = XtlsPair.Build(router, "romeo", "r-pass", "orchard", null);
        await using XmppClient nurse = new XmppClientBuilder()
            .WithJid("nurse@capulet.lit").WithPassword("n-pass").WithResource("kitchen").WithInMemoryRouter(router).Build();
        var received = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        nurse.StanzaReceived += (_, e) =>
        {
            if (e.Stanza.Name.LocalName == "message")
            {
                received.TrySetResult(e.Stanza);
            }
        };
        await romeo.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await nurse.ConnectAsync().WaitAsync(XtlsPair.Bound);

        await romeo.SendAsync(XtlsPair.Chat(nurse.Jid, "fetch the ladder")).WaitAsync(XtlsPair.Bound);
        XElement message = await received.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(message.Value, Is.EqualTo("fetch the ladder"));
        Assert.That(romeo.GetXtls().OpenTunnels, Is.Empty);
    }

    [Test]
    public async Task Automatic_encryption_fails_the_send_when_the_peer_cannot_be_asked()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();

        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(
            async () => await pair.Romeo.SendAsync(XtlsPair.Chat(Jid.Parse("juliet@capulet.lit/tomb"), "are you there?")).WaitAsync(XtlsPair.Bound));

        Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.NotSupported));
        Assert.That(pair.Routed.Any(s => s.Contains("are you there?", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task The_verification_callback_can_accept_a_changed_key_which_is_then_remembered()
    {
        var store = new InMemoryTrustStore(TrustOnFirstUse.Enabled);
        await store.PinAsync(Jid.Parse("romeo@capulet.lit"), XtlsIdentity.Generate().Fingerprint);
        TrustResult? asked = null;
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o =>
        {
            o.TrustStore = store;
            o.VerifyPeer = (_, _, result, _) =>
            {
                asked = result;
                return ValueTask.FromResult(true);
            };
        });

        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "it is I")).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        Assert.That(asked!.Decision, Is.EqualTo(TrustDecision.Rejected));
        TrustResult now = await store.VerifyAsync(Jid.Parse("romeo@capulet.lit"), pair.RomeoXtls.Identity.Fingerprint);
        Assert.That(now.IsTrusted, Is.True);
    }

    [Test]
    public async Task The_verification_callback_can_refuse_a_first_key_which_is_then_not_remembered()
    {
        var store = new InMemoryTrustStore(TrustOnFirstUse.Enabled);
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o =>
        {
            o.TrustStore = store;
            o.VerifyPeer = (_, _, _, _) => ValueTask.FromResult(false);
        });
        var closed = new TaskCompletionSource<XtlsTunnelClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.JulietXtls.TunnelClosed += (_, e) => closed.TrySetResult(e);

        _ = pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).ContinueWith(t => t.Exception, TaskScheduler.Default);
        XtlsTunnelClosedEventArgs ended = await closed.Task.WaitAsync(XtlsPair.Bound);

        Assert.That(ended.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
        Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
        TrustResult now = await store.VerifyAsync(Jid.Parse("romeo@capulet.lit"), XtlsIdentity.Generate().Fingerprint);
        Assert.That(now.Reason, Is.EqualTo(TrustReason.FirstUse), "the refused key was not recorded, so another key is a first use");
    }
}
