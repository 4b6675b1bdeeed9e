using System.Collections.Concurrent;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>
/// Records what the in-memory server routes: every XTLS stanza, classified, and the text of every stanza
/// (to check that no plaintext ever crossed). Events arrive on the router's I/O threads.
/// </summary>
internal sealed class WireTap
{
    private readonly Lock _gate = new();
    private readonly List<WireEvent> _events = [];
    private readonly ConcurrentQueue<string> _everything = new();
    private readonly HashSet<(Jid From, Jid To, string Id)> _requests = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _unanswered;

    /// <summary>Starts listening to the router.</summary>
    public WireTap(InMemoryRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.StanzaRouted += (_, e) => Record(e.From, e.To, e);
    }

    /// <summary>Every stanza the server routed, serialised.</summary>
    public IReadOnlyCollection<string> Everything => _everything;

    /// <summary>The number of XTLS events so far: a mark for <see cref="Since"/>.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>The XTLS events from a mark on.</summary>
    public IReadOnlyList<WireEvent> Since(int mark)
    {
        lock (_gate)
        {
            return _events.Skip(mark).ToList();
        }
    }

    /// <summary>Waits until every XTLS request seen so far has been answered, so a phase's output is complete.</summary>
    public async Task SettledAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_unanswered == 0)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Record(Jid from, Jid to, RoutedStanzaEventArgs routed)
    {
        _everything.Enqueue(routed.Stanza.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
        TaskCompletionSource signal;
        lock (_gate)
        {
            string? id = (string?)routed.Stanza.Attribute("id");
            WireEvent? wire = WireEvent.Classify(from, to, routed.Stanza, answerId => answerId is not null && _requests.Contains((to, from, answerId)));
            if (wire is null)
            {
                return;
            }

            if (wire.IsRequest && id is not null && _requests.Add((from, to, id)))
            {
                _unanswered++;
            }
            else if (!wire.IsRequest && id is not null && _requests.Remove((to, from, id)))
            {
                _unanswered--;
            }

            _events.Add(wire);
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }
}
