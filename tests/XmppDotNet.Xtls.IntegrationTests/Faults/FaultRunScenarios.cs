using System.Diagnostics;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.StreamManagement;
using XmppDotNet.Xtls.IntegrationTests.Clients;
using XmppDotNet.Xtls.Testing.Prosody;
using static XmppDotNet.Xtls.IntegrationTests.Clients.ProsodyClients;

namespace XmppDotNet.Xtls.IntegrationTests.Faults;

/// <summary>
/// A fault run: two clients exchange messages both ways through one XTLS tunnel while their TCP connections are
/// cut many times at seeded random points (one side, the other, or both at once; see <see cref="FaultRunSettings"/>).
/// At the end every message arrived exactly once and in order or was reported failed to its sender, and nothing
/// is left behind: no unacknowledged stanza, no pending IQ, no send waiting for a resumption, one tunnel each side.
/// </summary>
/// <typeparam name="TServer">The server the run goes through.</typeparam>
public abstract class FaultRunScenarios<TServer> : ServerClientFixture<TServer>
    where TServer : class, ITestXmppServer
{
    private const int MaxInFlight = 32;

    [Test]
    public async Task Messages_both_ways_through_a_tunnel_survive_many_cuts_of_both_connections()
    {
        FaultRunSettings settings = FaultRunSettings.FromEnvironment();
        var random = new Random(settings.Seed);
        var wall = Stopwatch.StartNew();
        await using var romeoProxy = new CuttableTcpProxy(() => Server.Port);
        await using var julietProxy = new CuttableTcpProxy(() => Server.Port);
        using Side romeo = await ConnectAsync("romeo", "orchard", romeoProxy);
        using Side juliet = await ConnectAsync("juliet", "balcony", julietProxy);
        XtlsTunnel romeoTunnel = await romeo.Client.GetXtls().OpenAsync(juliet.Client.Jid).WaitAsync(Bound);
        XtlsTunnel julietTunnel = await WaitForTunnelAsync(juliet.Client, romeo.Client.Jid);

        var toJuliet = new DirectionLedger("r", settings.Messages);
        var toRomeo = new DirectionLedger("j", settings.Messages);
        HashSet<int> cutPoints = [.. Enumerable.Range(1, settings.Messages - 1).OrderBy(_ => random.Next()).Take(settings.Cuts)];
        var inFlight = new Queue<Task>();
        int[] cutsBySide = new int[3];
        for (int i = 0; i < settings.Messages; i++)
        {
            if (cutPoints.Contains(i))
            {
                int side = random.Next(3); // 0 romeo, 1 juliet, 2 both
                cutsBySide[side]++;
                await CutAndWaitForResumptionAsync(side == 1 ? null : romeo, side == 0 ? null : juliet);
            }

            Task r = romeo.Client.SendAsync(ChatMessage(juliet.Client.Jid, toJuliet.Body(i)));
            Task j = juliet.Client.SendAsync(ChatMessage(romeo.Client.Jid, toRomeo.Body(i)));
            toJuliet.Sent(i, r);
            toRomeo.Sent(i, j);
            inFlight.Enqueue(r);
            inFlight.Enqueue(j);
            while (inFlight.Count > MaxInFlight)
            {
                await Settle(inFlight.Dequeue());
            }
        }

        await toJuliet.AllSends.WaitAsync(Bound);
        await toRomeo.AllSends.WaitAsync(Bound);

        // A last message each way after everything else: what arrives before it is all that will ever arrive.
        await romeo.Client.SendAsync(ChatMessage(juliet.Client.Jid, "end")).WaitAsync(Bound);
        await juliet.Client.SendAsync(ChatMessage(romeo.Client.Jid, "end")).WaitAsync(Bound);
        IReadOnlyList<XElement> atJuliet = await ReceiveUntilEndAsync(juliet.Inbox);
        IReadOnlyList<XElement> atRomeo = await ReceiveUntilEndAsync(romeo.Inbox);
        await WaitUntilNothingIsLeftAsync(romeo.Client);
        await WaitUntilNothingIsLeftAsync(juliet.Client);

        DirectionLedger.Verdict forward = toJuliet.Check(atJuliet);
        DirectionLedger.Verdict backward = toRomeo.Check(atRomeo);
        var resumptions = romeo.Resumptions.Concat(juliet.Resumptions).ToList();
        TestContext.Progress.WriteLine(
            $"Fault run through {Server.Product}: seed {settings.Seed}, {settings.Cuts} cuts (romeo {cutsBySide[0]}, juliet {cutsBySide[1]}, both {cutsBySide[2]}), " +
            $"{settings.Messages} messages each way; romeo->juliet {forward}; juliet->romeo {backward}; " +
            $"{resumptions.Count} resumptions, {resumptions.Sum(r => r.Resent)} stanzas sent again, resumption median {Median(resumptions):F0} ms, max {resumptions.Max(r => r.Duration.TotalMilliseconds):F0} ms; " +
            $"{wall.Elapsed.TotalSeconds:F1} s.");

        Assert.Multiple(() =>
        {
            foreach (DirectionLedger.Verdict verdict in new[] { forward, backward })
            {
                Assert.That(verdict.SilentlyLost, Is.Zero, "every message arrived or its send failed");
                Assert.That(verdict.Duplicates, Is.Zero, "nothing arrived twice");
                Assert.That(verdict.OutOfOrder, Is.Zero, "in order");
                Assert.That(verdict.Unknown, Is.Zero, "nothing arrived that was not sent");
            }

            Assert.That(resumptions, Has.Count.EqualTo(cutsBySide[0] + cutsBySide[1] + (2 * cutsBySide[2])), "every cut was resumed");
            Assert.That(romeo.Failures + juliet.Failures, Is.Zero, "no resumption failed");
            Assert.That(forward.Delivered + backward.Delivered, Is.EqualTo(2 * settings.Messages), "with every cut resumed, everything arrived");
            Assert.That(romeo.Client.GetXtls().OpenTunnels, Is.EqualTo(new[] { romeoTunnel }), "the same tunnel, no other");
            Assert.That(juliet.Client.GetXtls().OpenTunnels, Is.EqualTo(new[] { julietTunnel }), "the same tunnel, no other");
            Assert.That(romeo.Opened + juliet.Opened, Is.EqualTo(2), "no new handshake");
            Assert.That(romeo.Client.State, Is.EqualTo(SessionState.Online));
            Assert.That(juliet.Client.State, Is.EqualTo(SessionState.Online));
        });
    }

    private static double Median(List<SessionResumedEventArgs> resumptions)
    {
        if (resumptions.Count == 0)
        {
            return 0;
        }

        List<double> sorted = [.. resumptions.Select(r => r.Duration.TotalMilliseconds).Order()];
        return sorted[sorted.Count / 2];
    }

    private static async Task Settle(Task send)
    {
        try
        {
            await send.WaitAsync(Bound);
        }
        catch (XmppException)
        {
            // Recorded in the ledger: a failed send is a reported one.
        }
    }

    private static async Task CutAndWaitForResumptionAsync(Side? first, Side? second)
    {
        Side[] sides = [.. new[] { first, second }.OfType<Side>()];
        int[] before = [.. sides.Select(s => s.Resumptions.Count)];
        foreach (Side side in sides)
        {
            Assert.That(side.Proxy.CutAll(), Is.EqualTo(1), "one connection to cut");
        }

        for (int i = 0; i < sides.Length; i++)
        {
            await sides[i].WaitForResumptionAsync(before[i] + 1);
        }
    }

    private static async Task<XtlsTunnel> WaitForTunnelAsync(XmppClient client, Jid peer)
    {
        var waited = Stopwatch.StartNew();
        XtlsTunnel? tunnel;
        while ((tunnel = client.GetXtls().GetTunnel(peer)) is null)
        {
            if (waited.Elapsed > Bound)
            {
                throw new TimeoutException($"{client.Jid} has no tunnel to {peer}.");
            }

            await Task.Delay(10);
        }

        return tunnel;
    }

    private static async Task<IReadOnlyList<XElement>> ReceiveUntilEndAsync(Inbox inbox)
    {
        var messages = new List<XElement>();
        while (true)
        {
            XElement message = await inbox.NextMessageAsync();
            if (Body(message) == "end")
            {
                return messages;
            }

            messages.Add(message);
        }
    }

    /// <summary>Waits (bounded) until the server acknowledged everything and no IQ or waiting send is left.</summary>
    private static async Task WaitUntilNothingIsLeftAsync(XmppClient client)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            (int unacknowledged, int iqs, int waiting) = await client.Channel!.EventLoop
                .SubmitAsync(() => (client.UnacknowledgedStanzas, ((IStanzaSink)client).Iqs.Count, client.WaitingSends))
                .WaitAsync(Bound);
            if (unacknowledged == 0 && iqs == 0 && waiting == 0)
            {
                return;
            }

            if (waited.Elapsed > Bound)
            {
                Assert.Fail($"{client.Jid} still has {unacknowledged} unacknowledged stanzas, {iqs} pending IQs, {waiting} waiting sends.");
            }

            await Task.Delay(50);
        }
    }

    private async Task<Side> ConnectAsync(string prefix, string resource, CuttableTcpProxy proxy)
    {
        TestAccount account = await TestAccount.RegisterAsync(Server, prefix);
        XmppClient client = Clients.Add(Builder(Server, account, resource)
            .WithTcpServer(Server.Host, proxy.Port)
            .UseXtls()
            .WithStreamManagement(o =>
            {
                o.FirstReconnectDelay = TimeSpan.FromMilliseconds(20);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
                o.MaxResumeAttempts = 20;
            }));
        var side = new Side(client, proxy, new Inbox(client));
        await client.ConnectAsync().WaitAsync(Bound);
        return side;
    }

    /// <summary>One client of the run, its proxy, and what happened to it.</summary>
    private sealed class Side : IDisposable
    {
        private readonly SemaphoreSlim _resumed = new(0);
        private readonly List<SessionResumedEventArgs> _resumptions = [];
        private int _failures;
        private int _opened;

        public Side(XmppClient client, CuttableTcpProxy proxy, Inbox inbox)
        {
            Client = client;
            Proxy = proxy;
            Inbox = inbox;
            client.Resumed += (_, e) =>
            {
                lock (_resumptions)
                {
                    _resumptions.Add(e);
                }

                _resumed.Release();
            };
            client.ResumptionFailed += (_, _) => Interlocked.Increment(ref _failures);
            client.GetXtls().TunnelOpened += (_, _) => Interlocked.Increment(ref _opened);
        }

        public XmppClient Client { get; }

        public CuttableTcpProxy Proxy { get; }

        public Inbox Inbox { get; }

        public int Failures => Volatile.Read(ref _failures);

        public int Opened => Volatile.Read(ref _opened);

        public IReadOnlyList<SessionResumedEventArgs> Resumptions
        {
            get
            {
                lock (_resumptions)
                {
                    return [.. _resumptions];
                }
            }
        }

        public void Dispose()
        {
            Inbox.Dispose();
            _resumed.Dispose();
        }

        public async Task WaitForResumptionAsync(int count)
        {
            while (Resumptions.Count < count)
            {
                if (!await _resumed.WaitAsync(Bound))
                {
                    Assert.Fail($"{Client.Jid} was not resumed within {Bound} (state {Client.State}, {Failures} failed resumptions).");
                }
            }
        }
    }
}
