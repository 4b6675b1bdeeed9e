using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// A lossy, misordering network between the clients of an in-memory router. Only tunnel IQs are
/// touched: IQ-sets in <c>urn:xmpp:tmp:xtls</c> and the results and errors answering them. While
/// armed, each is dropped, duplicated, delayed or reordered at the given rates, or lost together with
/// the connection of its sender or of its recipient, which the server cuts (a cut during a handshake
/// is as likely as one during data, since handshakes travel in tunnel IQs too), drawn from a seeded
/// <see cref="Random"/> per sender, so one sender's sequence of decisions depends on the seed only.
/// One-shot faults (<see cref="Once"/>) take precedence over the random ones and work armed or not.
/// </summary>
/// <remarks>
/// A held stanza goes out together with the next tunnel IQ to the same recipient (before it for a
/// delay, after it for a reorder). Until then it is simply late; <see cref="Disarm"/> discards what is
/// still held, which the protocol sees as a loss, and so does cutting the recipient's connection.
/// A cut is the server's: a <c>connection-timeout</c> stream error, then the connection closes; the
/// client must log in again.
/// </remarks>
internal sealed class FaultInjector
{
    private const int MaxRememberedIds = 100_000;

    private readonly Lock _gate = new();
    private readonly InMemoryRouter _router;
    private readonly int _seed;
    private readonly FaultRates _rates;
    private readonly Dictionary<Jid, Random> _randomBySender = [];
    private readonly Dictionary<Jid, List<(XElement Stanza, FaultKind Kind)>> _heldByRecipient = [];
    private readonly HashSet<string> _requestIds = new(StringComparer.Ordinal);
    private readonly List<Script> _scripts = [];
    private readonly int[] _counts = new int[Enum.GetValues<FaultKind>().Length];
    private bool _armed;

    public FaultInjector(InMemoryRouter router, int seed = 0, FaultRates? rates = null)
    {
        _router = router;
        _seed = seed;
        _rates = rates ?? new FaultRates(0, 0, 0, 0);
        router.Interceptor = Intercept;
    }

    /// <summary>How many tunnel IQs were seen while armed or scripted.</summary>
    public int Decisions => Count(FaultKind.None) + Injected;

    /// <summary>How many faults were injected.</summary>
    public int Injected
    {
        get
        {
            lock (_gate)
            {
                return _counts.Skip(1).Sum();
            }
        }
    }

    /// <summary>Whether random faults are being injected.</summary>
    public bool IsArmed
    {
        get
        {
            lock (_gate)
            {
                return _armed;
            }
        }
    }

    /// <summary>How many connections were cut.</summary>
    public int Cuts => Count(FaultKind.CutSender) + Count(FaultKind.CutReceiver);

    /// <summary>How many stanzas are held back now (delayed or reordered, not yet delivered).</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _heldByRecipient.Values.Sum(h => h.Count);
            }
        }
    }

    public int Count(FaultKind kind)
    {
        lock (_gate)
        {
            return _counts[(int)kind];
        }
    }

    /// <summary>Starts injecting random faults.</summary>
    public void Arm()
    {
        lock (_gate)
        {
            _armed = true;
        }
    }

    /// <summary>Stops injecting random faults and discards every held stanza (they count as dropped).</summary>
    public void Disarm()
    {
        lock (_gate)
        {
            _armed = false;
            foreach (List<(XElement Stanza, FaultKind Kind)> held in _heldByRecipient.Values)
            {
                _counts[(int)FaultKind.Drop] += held.Count;
            }

            _heldByRecipient.Clear();
        }
    }

    /// <summary>Applies a fault to the next tunnel IQ that matches; the task completes with that IQ once it was applied.</summary>
    public Task<XElement> Once(FaultKind kind, Func<RoutedStanzaEventArgs, bool> match)
    {
        var script = new Script(kind, match, new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _scripts.Add(script);
        }

        return script.Applied.Task;
    }

    /// <summary>A data IQ-set from a sender.</summary>
    public static Func<RoutedStanzaEventArgs, bool> DataFrom(Jid sender) =>
        e => e.From == sender && IsRequest(e.Stanza) && e.Stanza.Element(XtlsElements.DataName) is not null;

    /// <summary>An answer (result or error) from a sender to a tunnel IQ.</summary>
    public static Func<RoutedStanzaEventArgs, bool> AnswerFrom(Jid sender) =>
        e => e.From == sender && !IsRequest(e.Stanza);

    private static bool IsRequest(XElement stanza) => Stanza.GetType(stanza) is "set" or "get";

    private List<XElement> Intercept(RoutedStanzaEventArgs e)
    {
        lock (_gate)
        {
            if (!IsTunnelIq(e.Stanza))
            {
                return [e.Stanza];
            }

            FaultKind kind = Decide(e);
            var delivered = new List<XElement>();
            List<(XElement Stanza, FaultKind Kind)> held = Held(e.To);
            _counts[(int)kind]++;
            if (kind == FaultKind.CutReceiver)
            {
                // What was held for the recipient was on its way over the connection that is cut.
                _counts[(int)FaultKind.Drop] += held.Count;
                held.Clear();
                _router.Disconnect(e.To, StreamErrorConditions.ConnectionTimeout);
                return delivered;
            }

            if (kind == FaultKind.CutSender)
            {
                _router.Disconnect(e.From, StreamErrorConditions.ConnectionTimeout);
            }
            delivered.AddRange(held.Where(h => h.Kind == FaultKind.Delay).Select(h => h.Stanza));

            switch (kind)
            {
                case FaultKind.None:
                    delivered.Add(e.Stanza);
                    break;
                case FaultKind.Duplicate:
                    delivered.Add(e.Stanza);
                    delivered.Add(e.Stanza);
                    break;
                default:
                    break; // dropped, lost with its sender's connection, or held until the next IQ to this recipient
            }

            delivered.AddRange(held.Where(h => h.Kind == FaultKind.Reorder).Select(h => h.Stanza));

            held.Clear();
            if (kind is FaultKind.Delay or FaultKind.Reorder)
            {
                held.Add((e.Stanza, kind));
            }

            return delivered;
        }
    }

    private FaultKind Decide(RoutedStanzaEventArgs e)
    {
        Script? script = _scripts.Find(s => s.Match(e));
        if (script is not null)
        {
            _scripts.Remove(script);
            script.Applied.TrySetResult(e.Stanza);
            return script.Kind;
        }

        if (!_armed)
        {
            return FaultKind.None;
        }

        if (!_randomBySender.TryGetValue(e.From, out Random? random))
        {
            // Per sender: the two directions run on different event loops, so one shared sequence would depend on timing.
            random = new Random(unchecked((_seed * 31) + OrdinalSum(e.From.ToString())));
            _randomBySender[e.From] = random;
        }

        return _rates.Pick(random.NextDouble());
    }

    private List<(XElement Stanza, FaultKind Kind)> Held(Jid recipient)
    {
        if (!_heldByRecipient.TryGetValue(recipient, out List<(XElement Stanza, FaultKind Kind)>? held))
        {
            held = [];
            _heldByRecipient[recipient] = held;
        }

        return held;
    }

    // Requests are recognised by their XTLS child, answers by the id of a request seen before.
    private bool IsTunnelIq(XElement stanza)
    {
        if (stanza.Name != Stanza.IqName || Stanza.GetId(stanza) is not { } id)
        {
            return false;
        }

        if (IsRequest(stanza))
        {
            if (!stanza.Elements().Any(c => c.Name.NamespaceName == XtlsNamespaces.Xtls))
            {
                return false;
            }

            if (_requestIds.Count >= MaxRememberedIds)
            {
                _requestIds.Clear();
            }

            _requestIds.Add(id);
            return true;
        }

        return _requestIds.Remove(id);
    }

    private static int OrdinalSum(string text) => text.Aggregate(17, (sum, c) => unchecked((sum * 31) + c));

    private sealed record Script(FaultKind Kind, Func<RoutedStanzaEventArgs, bool> Match, TaskCompletionSource<XElement> Applied);
}
