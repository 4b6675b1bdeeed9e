using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tests.Pipeline;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>Everything the router forwarded, as each sender sent it, with bounded waits for what a test expects on the wire.</summary>
internal sealed class Wire
{
    private static readonly XName ErrorName = XName.Get("error", XmppNamespaces.Client);

    private readonly Lock _gate = new();
    private readonly List<RoutedStanzaEventArgs> _seen = [];
    private readonly List<(Func<RoutedStanzaEventArgs, bool> Match, TaskCompletionSource<XElement> Found)> _waiters = [];

    public Wire(InMemoryRouter router) => router.StanzaRouted += (_, e) => Record(e);

    /// <summary>The first stanza (already seen or still to come) that matches.</summary>
    public Task<XElement> FirstAsync(Func<RoutedStanzaEventArgs, bool> match)
    {
        var found = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            RoutedStanzaEventArgs? seen = _seen.Find(e => match(e));
            if (seen is not null)
            {
                found.SetResult(seen.Stanza);
            }
            else
            {
                _waiters.Add((match, found));
            }
        }

        return found.Task.WaitAsync(XtlsPair.Bound);
    }

    /// <summary>The answer (result or error) <paramref name="from"/> gave to the IQ with this id.</summary>
    public Task<XElement> AnswerAsync(Jid from, string id) =>
        FirstAsync(e => e.From == from && Stanza.IsIqResponse(e.Stanza) && Stanza.GetId(e.Stanza) == id);

    /// <summary>The first <c>close</c> IQ-set <paramref name="from"/> sent.</summary>
    public Task<XElement> CloseAsync(Jid from) => FirstAsync(e => e.From == from && DataIq.IsClose(e.Stanza));

    /// <summary>The stanzas <paramref name="from"/> sent to <paramref name="to"/> so far.</summary>
    public IReadOnlyList<XElement> Sent(Jid from, Jid to)
    {
        lock (_gate)
        {
            return [.. _seen.Where(e => e.From == from && e.To == to).Select(e => e.Stanza)];
        }
    }

    /// <summary>The defined condition of an IQ error, or <c>null</c> for a result.</summary>
    public static string? Condition(XElement iq) =>
        iq.Element(ErrorName)?.Elements().FirstOrDefault(e => e.Name.Namespace == XmppNamespaces.StanzaErrors)?.Name.LocalName;

    /// <summary>The <c>type</c> of an IQ error, or <c>null</c> for a result.</summary>
    public static string? ErrorType(XElement iq) => (string?)iq.Element(ErrorName)?.Attribute("type");

    /// <summary>Whether a stanza is an XTLS request of this kind (<c>start</c>, <c>data</c>, <c>close</c>).</summary>
    public static bool IsRequest(XElement stanza, XName kind) =>
        Stanza.IsIqRequest(stanza) && stanza.Element(kind) is not null;

    private void Record(RoutedStanzaEventArgs e)
    {
        List<TaskCompletionSource<XElement>> matched = [];
        lock (_gate)
        {
            _seen.Add(e);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(e))
                {
                    matched.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (TaskCompletionSource<XElement> found in matched)
        {
            found.TrySetResult(e.Stanza);
        }
    }
}
