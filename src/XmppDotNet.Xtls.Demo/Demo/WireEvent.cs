using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>One XTLS stanza as the server routed it.</summary>
/// <param name="From">The sender's full JID.</param>
/// <param name="To">The recipient.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Xml">The stanza as the server saw it, serialised.</param>
/// <param name="WireBytes">Its size in UTF-8 bytes.</param>
/// <param name="Tls">For <see cref="WireKind.Data"/>: the TLS bytes the Base64 carries.</param>
/// <param name="Base64">For <see cref="WireKind.Data"/>: the Base64 text.</param>
/// <param name="Method">For the first <see cref="WireKind.Data"/>: its <c>method</c> attribute.</param>
/// <param name="Offer">For <see cref="WireKind.Start"/> and <see cref="WireKind.Proceed"/>: the offer it carries.</param>
internal sealed record WireEvent(
    Jid From,
    Jid To,
    WireKind Kind,
    string Xml,
    int WireBytes,
    byte[]? Tls,
    string? Base64,
    string? Method,
    XtlsOffer? Offer)
{
    /// <summary>Whether it is a request (an IQ-set: one round trip each).</summary>
    public bool IsRequest => Kind is WireKind.Start or WireKind.Data or WireKind.Close;

    /// <summary>The stanza as the server saw it, with the Base64 shortened to <paramref name="keep"/> characters.</summary>
    public string ShortXml(int keep) => Base64 is { Length: > 0 } text ? Xml.Replace(text, Io.Printable.Shorten(text, keep), StringComparison.Ordinal) : Xml;

    /// <summary>The IQ's child in the XTLS namespace, for display: <c>&lt;data/&gt;</c> and so on.</summary>
    public string Element => Kind switch
    {
        WireKind.Ack => "(ack)",
        WireKind.Error => "(error)",
        _ => $"<{Kind.ToString().ToLowerInvariant()}/>",
    };

    /// <summary>Classifies a routed stanza; <c>null</c> when it is not part of XTLS.</summary>
    /// <param name="from">The sender.</param>
    /// <param name="to">The recipient.</param>
    /// <param name="stanza">The stanza (not modified).</param>
    /// <param name="isAnswerToXtls">Whether an IQ-result or IQ-error with this id answers an XTLS request.</param>
    public static WireEvent? Classify(Jid from, Jid to, XElement stanza, Func<string?, bool> isAnswerToXtls)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(isAnswerToXtls);
        if (stanza.Name.LocalName != "iq")
        {
            return null;
        }

        XElement? child = stanza.Elements().FirstOrDefault(e => e.Name.Namespace == XtlsNamespaces.Xtls);
        string type = (string?)stanza.Attribute("type") ?? string.Empty;
        string? id = (string?)stanza.Attribute("id");
        WireKind? kind = child?.Name.LocalName switch
        {
            "start" => WireKind.Start,
            "proceed" => WireKind.Proceed,
            "data" => WireKind.Data,
            "close" => WireKind.Close,
            "closed" => WireKind.Closed,
            null when type == "result" && isAnswerToXtls(id) => WireKind.Ack,
            null when type == "error" && isAnswerToXtls(id) => WireKind.Error,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        string xml = Host.Xml.StanzaWriter.ToXmlString(stanza);
        byte[]? tls = kind == WireKind.Data ? XtlsElements.ReadData(child!, 1 << 20) : null;
        return new WireEvent(
            from,
            to,
            kind.Value,
            xml,
            System.Text.Encoding.UTF8.GetByteCount(xml),
            tls,
            kind == WireKind.Data ? child!.Value : null,
            kind == WireKind.Data ? XtlsElements.ReadMethod(child!) : null,
            kind is WireKind.Start or WireKind.Proceed ? XtlsElements.ReadOffer(child!) : null);
    }
}
