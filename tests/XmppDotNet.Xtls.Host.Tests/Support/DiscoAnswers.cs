using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Tests.Support;

/// <summary>Plays the remote resources of a <see cref="FakeSession"/>: answers their disco#info queries and counts them.</summary>
internal sealed class DiscoAnswers
{
    private readonly ConcurrentDictionary<Jid, string[]> _features = new();
    private readonly ConcurrentQueue<(Jid To, string? Node)> _queries = new();

    public DiscoAnswers(FakeSession session) => session.IqResponder = AnswerAsync;

    /// <summary>When set, answers wait for it (to hold queries pending).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public IReadOnlyList<(Jid To, string? Node)> Queries => [.. _queries];

    public int NodeQueries => _queries.Count(q => q.Node is not null);

    public int PlainQueries => _queries.Count(q => q.Node is null);

    public static string VerOf(params string[] features) =>
        CapsVerification.Compute(new DiscoInfo(null, [new DiscoIdentity("client", "pc", "Test")], features, []));

    public static XElement Caps(string ver, string hash = "sha-1") => Presences.Caps("urn:example:client", ver, hash);

    public void Set(string jid, params string[] features) => _features[Jid.Parse(jid)] = features;

    private async Task<XElement> AnswerAsync(XElement iq)
    {
        Jid to = Stanza.GetTo(iq)!;
        XElement query = iq.Element(XName.Get("query", XmppNamespaces.DiscoInfo))!;
        string? node = (string?)query.Attribute("node");
        _queries.Enqueue((to, node));
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (!_features.TryGetValue(to, out string[]? features))
        {
            return Stanza.ErrorFor(iq, StanzaError.Of(StanzaErrorConditions.ServiceUnavailable));
        }

        var answer = new XElement(
            XName.Get("query", XmppNamespaces.DiscoInfo),
            node is null ? null : new XAttribute("node", node),
            new XElement(XName.Get("identity", XmppNamespaces.DiscoInfo), new XAttribute("category", "client"), new XAttribute("type", "pc"), new XAttribute("name", "Test")),
            features.Select(f => new XElement(XName.Get("feature", XmppNamespaces.DiscoInfo), new XAttribute("var", f))));
        XElement result = Stanza.ResultFor(iq, answer);
        result.SetAttributeValue("from", to.ToString());
        return result;
    }
}
