using System.Xml.Linq;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Protocol;

/// <summary>
/// Builds and reads the IQ envelopes of XTLS (namespace <c>jabber:client</c>) and their stanza errors.
/// </summary>
/// <remarks>
/// Reading accepts IQs in <c>jabber:client</c> or in no namespace (as some decoders hand them over);
/// every IQ built here is in <c>jabber:client</c>, with <c>from</c> and <c>to</c> set.
/// </remarks>
internal static class XtlsStanzas
{
    public const string Set = "set";
    public const string Get = "get";
    public const string Result = "result";
    public const string Error = "error";

    private const string IqLocalName = "iq";
    private const string ErrorLocalName = "error";
    private const string TextLocalName = "text";

    // Error texts from the wire end up in logs and tunnel end details; keep them short.
    private const int MaxErrorTextLength = 512;

    private static readonly XName IqName = XName.Get(IqLocalName, XmppNamespaces.Client);
    private static readonly XName ErrorName = XName.Get(ErrorLocalName, XmppNamespaces.Client);
    private static readonly XName TextName = XName.Get(TextLocalName, XmppNamespaces.StanzaErrors);

    /// <summary>Whether the element is an IQ stanza.</summary>
    public static bool IsIq(XElement element) =>
        element.Name.LocalName == IqLocalName
        && (element.Name.NamespaceName == XmppNamespaces.Client || element.Name.NamespaceName.Length == 0);

    /// <summary>The value of an attribute, or <c>null</c>.</summary>
    public static string? Attribute(XElement element, string name) => element.Attribute(name)?.Value;

    /// <summary>The first child element in the XTLS namespace, or <c>null</c>.</summary>
    public static XElement? XtlsChild(XElement iq)
    {
        foreach (XElement child in iq.Elements())
        {
            if (child.Name.NamespaceName == XtlsNamespaces.Xtls)
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>An IQ-set carrying the payload.</summary>
    public static XElement Request(string id, Jid from, Jid to, XElement payload) => Iq(Set, id, from, to, payload);

    /// <summary>An IQ-result, empty or carrying the payload.</summary>
    public static XElement Response(string id, Jid from, Jid to, XElement? payload = null) => Iq(Result, id, from, to, payload);

    /// <summary>An IQ-error with the defined condition, type and optional text.</summary>
    public static XElement ErrorResponse(string id, Jid from, Jid? to, StanzaError error)
    {
        var errorElement = new XElement(
            ErrorName,
            new XAttribute("type", error.Type),
            new XElement(XName.Get(error.Condition, XmppNamespaces.StanzaErrors)));
        if (error.Text is not null)
        {
            errorElement.Add(new XElement(TextName, error.Text));
        }

        return Iq(Error, id, from, to, errorElement);
    }

    /// <summary>Reads the error of an IQ-error; a missing condition reads as <c>undefined-condition</c>, a missing type as <c>cancel</c>.</summary>
    public static StanzaError ReadError(XElement iq)
    {
        XElement? error = iq.Element(XName.Get(ErrorLocalName, iq.Name.NamespaceName));
        if (error is null)
        {
            return new StanzaError(StanzaError.UndefinedCondition, StanzaError.Cancel, null);
        }

        string type = Attribute(error, "type") ?? StanzaError.Cancel;
        string condition = StanzaError.UndefinedCondition;
        string? text = null;
        foreach (XElement child in error.Elements())
        {
            if (child.Name.NamespaceName != XmppNamespaces.StanzaErrors)
            {
                continue;
            }

            if (child.Name.LocalName == TextLocalName)
            {
                text ??= child.Value.Length > MaxErrorTextLength ? child.Value[..MaxErrorTextLength] : child.Value;
            }
            else if (condition == StanzaError.UndefinedCondition)
            {
                condition = child.Name.LocalName;
            }
        }

        return new StanzaError(condition, type, text);
    }

    private static XElement Iq(string type, string id, Jid from, Jid? to, XElement? payload)
    {
        var iq = new XElement(
            IqName,
            new XAttribute("type", type),
            new XAttribute("id", id),
            new XAttribute("from", from.ToString()));
        if (to is not null)
        {
            iq.Add(new XAttribute("to", to.ToString()));
        }

        if (payload is not null)
        {
            iq.Add(payload);
        }

        return iq;
    }
}
