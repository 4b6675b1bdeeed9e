using XmppDotNet.Xtls.Demo.Chat;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class TunnelWatchTests
{
    private static readonly Jid Romeo = Jid.Parse("romeo@montague.lit/orchard");
    private static readonly Jid RomeoElsewhere = Jid.Parse("romeo@montague.lit/garden");
    private static readonly Jid Tybalt = Jid.Parse("tybalt@capulet.lit/street");

    [Test]
    public async Task Opening_a_tunnel_accepts_only_that_peer_s_own_request()
    {
        TunnelWatch watch = Watch(peer: Romeo, acceptFrom: null);

        Assert.That(await Decide(watch, Tybalt), Is.False);
        Assert.That(await Decide(watch, Romeo), Is.True);
    }

    [Test]
    public async Task Waiting_accepts_the_first_request_and_refuses_every_later_one()
    {
        TunnelWatch watch = Watch(peer: null, acceptFrom: null);

        Assert.That(await Decide(watch, Tybalt), Is.True);
        Assert.That(watch.Peer, Is.EqualTo(Tybalt));
        Assert.That(await Decide(watch, Romeo), Is.False);
        Assert.That(await Decide(watch, Tybalt), Is.False);
    }

    [Test]
    public async Task A_bare_accept_filter_lets_any_resource_of_that_account_in_and_nobody_else()
    {
        TunnelWatch refusing = Watch(peer: null, acceptFrom: Romeo.Bare);
        TunnelWatch accepting = Watch(peer: null, acceptFrom: Romeo.Bare);

        Assert.That(await Decide(refusing, Tybalt), Is.False);
        Assert.That(refusing.Peer, Is.Null);
        Assert.That(await Decide(accepting, RomeoElsewhere), Is.True);
    }

    [Test]
    public async Task A_full_accept_filter_lets_only_that_resource_in()
    {
        TunnelWatch watch = Watch(peer: null, acceptFrom: Romeo);

        Assert.That(await Decide(watch, RomeoElsewhere), Is.False);
        Assert.That(await Decide(watch, Romeo), Is.True);
    }

    private static TunnelWatch Watch(Jid? peer, Jid? acceptFrom)
    {
        var settings = new ChatSettings
        {
            Account = Jid.Parse("juliet@capulet.lit/balcony"),
            Peer = peer,
            AcceptFrom = acceptFrom,
            IdentityFile = "unused.pem",
            KnownPeersFile = "unused.txt",
        };
        return new TunnelWatch(settings, new StatusWriter(TextWriter.Null, Styler.Plain, quiet: false), new MessagePrinter(TextWriter.Null, json: false), _ => { });
    }

    private static async Task<bool> Decide(TunnelWatch watch, Jid from) =>
        await watch.DecideAsync(new IncomingTunnelRequest(from, null), CancellationToken.None);
}
