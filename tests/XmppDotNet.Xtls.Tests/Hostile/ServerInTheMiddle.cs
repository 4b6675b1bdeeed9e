using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A hostile server on the in-memory router: one-shot rules, tried in the order they were added,
/// rewrite the first stanza each matches; every data IQ forwarded is recorded as the sender sent it.
/// </summary>
internal sealed class ServerInTheMiddle
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    public ServerInTheMiddle(InMemoryRouter router) => router.Interceptor = Intercept;

    /// <summary>Every data IQ the senders sent, before any rule changed it, with its sender.</summary>
    public ConcurrentQueue<(Jid From, XElement Iq)> DataSent { get; } = new();

    public static Func<RoutedStanzaEventArgs, bool> DataFrom(Jid sender) => e => e.From == sender && DataIq.IsData(e.Stanza);

    public static Func<RoutedStanzaEventArgs, bool> CloseFrom(Jid sender) => e => e.From == sender && DataIq.IsClose(e.Stanza);

    /// <summary>The number of data IQs a sender sent.</summary>
    public int DataCount(Jid sender) => DataSent.Count(d => d.From == sender);

    /// <summary>
    /// Rewrites the next stanza that matches (and that no earlier rule takes) with <paramref name="rewrite"/>.
    /// The task completes with the original stanza once the rule has fired.
    /// </summary>
    public Task<XElement> Once(Func<RoutedStanzaEventArgs, bool> match, Func<XElement, IReadOnlyList<XElement>> rewrite)
    {
        var rule = new Rule(match, rewrite, new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule.Fired.Task;
    }

    private IReadOnlyList<XElement> Intercept(RoutedStanzaEventArgs e)
    {
        if (DataIq.IsData(e.Stanza))
        {
            DataSent.Enqueue((e.From, new XElement(e.Stanza)));
        }

        Rule? rule;
        lock (_gate)
        {
            rule = _rules.Find(r => r.Match(e));
            if (rule is not null)
            {
                _rules.Remove(rule);
            }
        }

        if (rule is null)
        {
            return [e.Stanza];
        }

        IReadOnlyList<XElement> result = rule.Rewrite(e.Stanza);
        rule.Fired.TrySetResult(e.Stanza);
        return result;
    }

    private sealed record Rule(Func<RoutedStanzaEventArgs, bool> Match, Func<XElement, IReadOnlyList<XElement>> Rewrite, TaskCompletionSource<XElement> Fired);
}
