using System.Diagnostics;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Xtls;

/// <summary>
/// A tunnel through a Prosody that throttles clients as Debian's stock configuration does (mod_limits at
/// 10 kB/s; with the epoll backend Prosody paces the socket and allows no burst): a full window takes
/// longer to drain than the tunnel's progress timeout, yet the tunnel lives, because it times out on a
/// lack of acknowledgements, not on how long one chunk waits.
/// </summary>
[TestFixture]
public sealed class ThrottledServerTests : ProsodyClientFixture
{
    protected override ProsodyServerOptions ServerOptions => new ProsodyServerOptions
    {
        AdditionalGlobalSettings = """
            modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "limits" }
            limits = { c2s = { rate = "10kb/s"; burst = "2s"; } }
            """,
    };

    [Test]
    public async Task A_full_window_through_a_throttled_server_arrives_without_a_progress_timeout()
    {
        const int Count = 10;
        const int BodyLength = 4000;
        TimeSpan progressTimeout = TimeSpan.FromSeconds(3);
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls(o => o.Tunnels.ProgressTimeout = progressTimeout));
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls());
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        string[] bodies = [.. Enumerable.Range(0, Count).Select(i => new string((char)('a' + i), BodyLength))];

        // About 54 KB of Base64 on the wire, more than a full window (8 chunks of 4 KiB): the last chunk
        // waits about 5 s for its acknowledgement, longer than the progress timeout.
        var clock = Stopwatch.StartNew();
        Task[] sends = [.. bodies.Select(body => romeo.SendAsync(ChatMessage(juliet.Jid, body)))];
        await Task.WhenAll(sends).WaitAsync(Bound);
        TimeSpan elapsed = clock.Elapsed;
        var received = new List<XElement>();
        while (received.Count < Count)
        {
            received.Add(await julietInbox.NextMessageAsync());
        }

        Assert.Multiple(() =>
        {
            Assert.That(received.Select(Body), Is.EqualTo(bodies));
            Assert.That(received.All(m => m.IsFromXtlsTunnel()), Is.True);
            Assert.That(romeoTunnels.HasUnseenEnd, Is.False, "the tunnel did not end");
            Assert.That(romeo.GetXtls().GetTunnel(juliet.Jid), Is.Not.Null);
            Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
            Assert.That(elapsed, Is.GreaterThan(progressTimeout), "the server throttled the sender: 54 KB cannot pass 10 kB/s faster");
        });
    }

    [Test]
    public async Task Chat_lines_written_faster_than_the_throttle_allows_all_arrive_in_order_through_one_tunnel()
    {
        const int Lines = 100;
        TestAccount romeoAccount = await TestAccount.RegisterAsync(Server, "romeo");
        TestAccount julietAccount = await TestAccount.RegisterAsync(Server, "juliet");
        XmppClient romeo = Clients.Add(Builder(Server, romeoAccount, "orchard").UseXtls());
        XmppClient juliet = Clients.Add(Builder(Server, julietAccount, "balcony").UseXtls());
        using var julietInbox = new Inbox(juliet);
        using var romeoTunnels = new TunnelWatch(romeo.GetXtls());
        await romeo.ConnectAsync().WaitAsync(Bound);
        await juliet.ConnectAsync().WaitAsync(Bound);
        await romeo.GetXtls().OpenAsync(juliet.Jid).WaitAsync(Bound);
        string[] lines = [.. Enumerable.Range(0, Lines).Select(i => $"line {i:D3} " + new string('.', 111))];

        // About 26 KB of chat at once, more than two seconds of the throttle: most lines wait for the window
        // and leave batched; every one must still arrive, once and in order, and every send complete.
        Task[] sends = [.. lines.Select(line => romeo.SendAsync(ChatMessage(juliet.Jid, line)))];
        await Task.WhenAll(sends).WaitAsync(Bound);
        var received = new List<XElement>();
        while (received.Count < Lines)
        {
            received.Add(await julietInbox.NextMessageAsync());
        }

        Assert.Multiple(() =>
        {
            Assert.That(received.Select(Body), Is.EqualTo(lines));
            Assert.That(received.All(m => m.IsFromXtlsTunnel()), Is.True);
            Assert.That(romeoTunnels.HasUnseenEnd, Is.False, "the tunnel did not end");
            Assert.That(romeo.State, Is.EqualTo(SessionState.Online));
        });
    }
}
