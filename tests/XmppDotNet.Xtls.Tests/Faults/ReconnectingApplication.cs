using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// An application on both ends of a <see cref="LossyTunnel"/> whose connections the network cuts: each
/// side logs in again (same client, new session, same resource: the router binds the one asked for)
/// whenever its session ended, and Romeo opens a new tunnel whenever he has none and goes on sending
/// numbered stanzas in batches. Every stanza is sent once (never resent) and its send task kept, so
/// the test can hold each one to its outcome. All waiting advances the fake clock in bounded steps
/// (<see cref="Drive"/>); nothing depends on how fast the machine is.
/// </summary>
internal sealed class ReconnectingApplication
{
    /// <summary>Open attempts under faults before one on a calm network, which must then succeed.</summary>
    public const int OpenAttemptsUnderFaults = 8;

    /// <summary>Open attempts on a calm network: one, plus one for each side that a cut decided before may still reach.</summary>
    public const int CalmAttempts = 3;

    private readonly LossyTunnel _lossy;
    private readonly string _prefix;
    private readonly List<SentStanza> _sent = [];
    private readonly List<XtlsTunnelClosedEventArgs> _romeoEnds = [];
    private int _romeoOpens;

    public ReconnectingApplication(LossyTunnel lossy, string prefix)
    {
        _lossy = lossy;
        _prefix = prefix;
        RomeoJid = lossy.Pair.Romeo.Jid;
        JulietJid = lossy.Pair.Juliet.Jid;
        lossy.Pair.RomeoXtls.TunnelOpened += (_, _) => Interlocked.Increment(ref _romeoOpens);
        lossy.Pair.RomeoXtls.TunnelClosed += (_, e) =>
        {
            lock (_romeoEnds)
            {
                _romeoEnds.Add(e);
            }
        };
    }

    /// <summary>Romeo's full JID in every session.</summary>
    public Jid RomeoJid { get; }

    /// <summary>Juliet's full JID in every session.</summary>
    public Jid JulietJid { get; }

    /// <summary>Every stanza sent so far, in the order sent.</summary>
    public IReadOnlyList<SentStanza> Sent => _sent;

    /// <summary>How many times a session was established again after a cut (both sides).</summary>
    public int Logins { get; private set; }

    /// <summary>How many open attempts failed (typed); each was followed by another.</summary>
    public int FailedOpens { get; private set; }

    /// <summary>How many opens needed the calm network after <see cref="OpenAttemptsUnderFaults"/> failures under faults.</summary>
    public int CalmOpens { get; private set; }

    /// <summary>How many opens failed for each reason (a cut during a handshake shows as SessionEnded, PeerGone or "not online").</summary>
    public SortedDictionary<string, int> OpenFailureReasons { get; } = new(StringComparer.Ordinal);

    /// <summary>Why opens on a calm network failed (a cut still landing), for the run's description.</summary>
    public List<string> CalmFailures { get; } = [];

    /// <summary>Tunnels Romeo's service reported opened.</summary>
    public int RomeoOpens => Volatile.Read(ref _romeoOpens);

    /// <summary>Tunnel ends Romeo's service reported, with their reasons.</summary>
    public IReadOnlyList<XtlsTunnelClosedEventArgs> RomeoEnds
    {
        get
        {
            lock (_romeoEnds)
            {
                return [.. _romeoEnds];
            }
        }
    }

    public string Body(int index) => $"{_prefix} stanza {index:D5} " + new string('.', 40);

    /// <summary>
    /// Logs both sides in again if a cut ended their sessions, and opens a tunnel from Romeo to Juliet
    /// unless one is open: under faults up to <see cref="OpenAttemptsUnderFaults"/> times, then with the
    /// injector disarmed, where it must succeed within <see cref="CalmAttempts"/> attempts (a cut decided
    /// before the network calmed down may still land on each side once). Every failed attempt must fail
    /// with a typed exception.
    /// </summary>
    public async Task EnsureTunnelAsync()
    {
        bool armed = _lossy.Faults.IsArmed;
        int calmAttempts = 0;
        for (int attempt = 0; ; attempt++)
        {
            bool calm = attempt >= OpenAttemptsUnderFaults || !armed;
            if (calm)
            {
                _lossy.Faults.Disarm();
                calmAttempts++;
            }

            await EnsureOnlineAsync(_lossy.Pair.Romeo);
            await EnsureOnlineAsync(_lossy.Pair.Juliet);
            if (!calm)
            {
                _lossy.Pair.Routed.Clear(); // the test's record of the traffic: from the last attempt under faults on, for a failure message
            }

            Task<XtlsTunnel> opening = OpenCapturing();
            await _lossy.UntilCompletedAsync([opening]);
            if (opening.IsCompletedSuccessfully)
            {
                if (armed)
                {
                    _lossy.Faults.Arm();
                }

                CalmOpens += calm && armed ? 1 : 0;
                return;
            }

            Exception failure = opening.Exception!.InnerException!;
            Assert.That(failure, Is.InstanceOf<XtlsTunnelException>().Or.InstanceOf<InvalidOperationException>(), "an open fails with a typed exception: " + failure);
            FailedOpens++;
            string reason = failure is XtlsTunnelException tunnelFailure ? tunnelFailure.Reason.ToString() : "not online";
            OpenFailureReasons[reason] = OpenFailureReasons.GetValueOrDefault(reason) + 1;
            if (calm)
            {
                CalmFailures.Add($"[{Logins} logins] {failure.Message}");
            }

            if (calmAttempts >= CalmAttempts)
            {
                Assert.Fail("a tunnel opens on a calm network after a cut: " + string.Join(" | ", CalmFailures) + "\n" + await DescribeStateAsync());
            }
        }
    }

    /// <summary>
    /// Sends the next <paramref name="count"/> stanzas to Juliet in one turn of Romeo's event loop (so
    /// all enter the same tunnel) and advances time until every send has completed.
    /// </summary>
    public async Task<SentStanza[]> SendBatchAsync(int count)
    {
        XmppClient romeo = _lossy.Pair.Romeo;
        int batch = _sent.Count == 0 ? 0 : _sent[^1].Batch + 1;
        int first = _sent.Count;
        XElement[] stanzas = [.. Enumerable.Range(first, count).Select(i => XtlsPair.Chat(JulietJid, Body(i)))];
        Task[] sends = await romeo.Channel!.EventLoop.SubmitAsync(() => stanzas.Select(s => SendCapturing(romeo, s)).ToArray()).WaitAsync(XtlsPair.Bound);
        SentStanza[] sent = [.. sends.Select((t, i) => new SentStanza(first + i, batch, t))];
        _sent.AddRange(sent);
        await _lossy.UntilCompletedAsync(sends);
        return sent;
    }

    /// <summary>Advances time until Romeo's service lists no tunnel to Juliet: a broken tunnel is closed, not kept.</summary>
    public Task UntilBrokenTunnelClosedAsync() =>
        Drive.UntilAsync(_lossy.Clock, () => _lossy.Pair.RomeoXtls.GetTunnel(JulietJid) is null, _lossy.Pair.Romeo, _lossy.Pair.Juliet);

    /// <summary>
    /// Logs a client in again once its session has ended (a cut: the server's stream error, then the
    /// connection closes). A client still shutting down is given time first.
    /// </summary>
    private async Task EnsureOnlineAsync(XmppClient client)
    {
        if (client.State == Host.Session.SessionState.Online && client.Channel is { Active: true })
        {
            return;
        }

        await Drive.UntilAsync(
            _lossy.Clock,
            () => client.State is Host.Session.SessionState.Closed or Host.Session.SessionState.Disconnected,
            _lossy.Pair.Romeo,
            _lossy.Pair.Juliet);
        await client.ConnectAsync().WaitAsync(XtlsPair.Bound);
        Assert.That(client.Jid, Is.EqualTo(client == _lossy.Pair.Romeo ? RomeoJid : JulietJid), "the new session has the same full JID");
        Logins++;
    }

    /// <summary>Both sides' state and the traffic since the network calmed down, for a failure message.</summary>
    private async Task<string> DescribeStateAsync()
    {
        XmppClient juliet = _lossy.Pair.Juliet;
        TunnelState? julietsTunnel = juliet.Channel is { Active: true } ? await Drive.OnLoop(juliet, () => Drive.Tunnels(juliet).GetState(RomeoJid)) : null;
        return $"Romeo {_lossy.Pair.Romeo.State}, Juliet {juliet.State} with a tunnel {julietsTunnel?.ToString() ?? "none"}; router sessions: {string.Join(", ", _lossy.Pair.Router.OnlineSessions)}; routed:\n"
            + string.Join("\n", _lossy.Pair.Routed);
    }

    private Task<XtlsTunnel> OpenCapturing()
    {
        try
        {
            return _lossy.Pair.RomeoXtls.OpenAsync(JulietJid);
        }
        catch (InvalidOperationException e)
        {
            return Task.FromException<XtlsTunnel>(e);
        }
    }

    // ISession.SendAsync documents InvalidOperationException for a session that is not online (cut since the last check): a report too.
    private static Task SendCapturing(XmppClient client, XElement stanza)
    {
        try
        {
            return client.SendAsync(stanza);
        }
        catch (InvalidOperationException e)
        {
            return Task.FromException(e);
        }
    }
}

/// <summary>One stanza the application sent: its number, the batch it went in (one tunnel per batch), and its send task.</summary>
internal sealed record SentStanza(int Index, int Batch, Task Outcome)
{
    public bool Succeeded => Outcome.IsCompletedSuccessfully;
}
