using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using XmppDotNet.Xtls.Tls;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Xtls;

/// <summary>A tunnel closed in order and opened again through a real Prosody is re-opened with its secret.</summary>
[TestFixture]
public sealed class ReopenThroughProsodyTests : ProsodyClientFixture
{
    [TestCase(XtlsMethod.X509)]
    [TestCase(XtlsMethod.Srp)]
    public async Task A_tunnel_opened_again_after_an_orderly_close_is_reopened_and_carries_messages(XtlsMethod method)
    {
        static char[]? SharedPassword(Jid peer) => "correct horse battery staple".ToCharArray();
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls(o => o.SrpPassword = SharedPassword));
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls(o => o.SrpPassword = SharedPassword));
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        using var julietInbox = new Inbox(juliet);

        XtlsTunnel first = await romeo.GetXtls().OpenAsync(juliet.Jid, method).WaitAsync(Bound);
        await romeo.GetXtls().CloseAsync(juliet.Jid).WaitAsync(Bound);
        XtlsTunnel second = await romeo.GetXtls().OpenAsync(juliet.Jid, method).WaitAsync(Bound);
        await romeo.SendAsync(ChatMessage(juliet.Jid, "once more, quickly")).WaitAsync(Bound);
        XElement received = await julietInbox.NextMessageAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Reopened, Is.False);
            Assert.That(second.Reopened, Is.True);
            Assert.That(second.Method, Is.EqualTo(method));
            Assert.That(second.ProtocolVersion, Is.EqualTo("TLSv1.3"));
            Assert.That(second.PeerFingerprint, Is.EqualTo(first.PeerFingerprint));
            Assert.That(Body(received), Is.EqualTo("once more, quickly"));
            Assert.That(received.IsFromXtlsTunnel(out XtlsTunnel? inbound) && inbound.Reopened, Is.True);
        });
    }
}
