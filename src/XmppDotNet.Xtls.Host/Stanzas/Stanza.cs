using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>Building and reading <c>jabber:client</c> stanzas (RFC 6120 §8) as <see cref="XElement"/>s.</summary>
public static class Stanza
{
    /// <summary>The name of an IQ stanza.</summary>
    public static readonly XName IqName = XName.Get("iq", XmppNamespaces.Client);

    /// <summary>The name of a message stanza.</summary>
    public static readonly XName MessageName = XName.Get("message", XmppNamespaces.Client);

    /// <summary>The name of a presence stanza.</summary>
    public static readonly XName PresenceName = XName.Get("presence", XmppNamespaces.Client);

    /// <summary>Builds an IQ stanza.</summary>
    /// <param name="type"><c>get</c>, <c>set</c>, <c>result</c> or <c>error</c>.</param>
    /// <param name="id">The id that correlates request and response (not empty).</param>
    /// <param name="to">The addressee, or <c>null</c> for the user's own account / server.</param>
    /// <param name="payload">The child element; required for <c>get</c> and <c>set</c> (RFC 6120 §8.2.3).</param>
    /// <param name="from">The sender, or <c>null</c> to let the server stamp it.</param>
    /// <exception cref="ArgumentException">Unknown type, empty id, or a request without payload.</exception>
    public static XElement Iq(string type, string id, Jid? to, XElement? payload = null, Jid? from = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (type is not ("get" or "set" or "result" or "error"))
        {
            throw new ArgumentException($"'{type}' is not an IQ type.", nameof(type));
        }

        if (payload is null && type is "get" or "set")
        {
            throw new ArgumentException("An IQ request carries exactly one payload element.", nameof(payload));
        }

        var iq = new XElement(IqName, new XAttribute("type", type), new XAttribute("id", id));
        SetAddresses(iq, to?.ToString(), from?.ToString());
        if (payload is not null)
        {
            iq.Add(payload);
        }

        return iq;
    }

    /// <summary>The result for an IQ request: same id, <c>to</c> and <c>from</c> swapped, optional payload.</summary>
    /// <exception cref="ArgumentException">The element is not an IQ get/set with an id.</exception>
    public static XElement ResultFor(XElement iqRequest, XElement? payload = null)
    {
        ArgumentNullException.ThrowIfNull(iqRequest);
        if (!IsIqRequest(iqRequest))
        {
            throw new ArgumentException("Only an IQ of type get or set has a result.", nameof(iqRequest));
        }

        string id = RequireId(iqRequest, nameof(iqRequest));
        var result = new XElement(IqName, new XAttribute("type", "result"), new XAttribute("id", id));
        SetAddresses(result, (string?)iqRequest.Attribute("from"), (string?)iqRequest.Attribute("to"));
        if (payload is not null)
        {
            result.Add(payload);
        }

        return result;
    }

    /// <summary>
    /// The error reply to a stanza (iq, message or presence): same element and id, <c>to</c> and
    /// <c>from</c> swapped, <c>type='error'</c>, the error element, and no echo of the original payload.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Not a stanza; an error stanza or an IQ result (RFC 6120 forbids answering those, which prevents
    /// error loops); or an IQ without id.
    /// </exception>
    public static XElement ErrorFor(XElement request, StanzaError error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        if (!(IsIq(request) || IsMessage(request) || IsPresence(request)))
        {
            throw new ArgumentException("Only iq, message and presence stanzas in jabber:client are answered.", nameof(request));
        }

        string? type = GetType(request);
        if (type == "error")
        {
            throw new ArgumentException("An error stanza must not be answered with an error (RFC 6120 §8.3.1).", nameof(request));
        }

        if (IsIq(request) && !IsIqRequest(request))
        {
            throw new ArgumentException("Only an IQ of type get or set is answered (RFC 6120 §8.2.3).", nameof(request));
        }

        var reply = new XElement(request.Name, new XAttribute("type", "error"));
        string? id = IsIq(request) ? RequireId(request, nameof(request)) : GetId(request);
        if (id is not null)
        {
            reply.Add(new XAttribute("id", id));
        }

        SetAddresses(reply, (string?)request.Attribute("from"), (string?)request.Attribute("to"));
        reply.Add(error.ToXElement());
        return reply;
    }

    /// <summary>Whether the element is an IQ stanza in <c>jabber:client</c>.</summary>
    public static bool IsIq(XElement e) => Is(e, IqName);

    /// <summary>Whether the element is a message stanza in <c>jabber:client</c>.</summary>
    public static bool IsMessage(XElement e) => Is(e, MessageName);

    /// <summary>Whether the element is a presence stanza in <c>jabber:client</c>.</summary>
    public static bool IsPresence(XElement e) => Is(e, PresenceName);

    /// <summary>The <c>type</c> attribute, or <c>null</c>.</summary>
    public static string? GetType(XElement e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return (string?)e.Attribute("type");
    }

    /// <summary>The <c>id</c> attribute, or <c>null</c>.</summary>
    public static string? GetId(XElement e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return (string?)e.Attribute("id");
    }

    /// <summary>The <c>from</c> address, or <c>null</c> when absent.</summary>
    /// <exception cref="InvalidJidException">The attribute is not a valid address.</exception>
    public static Jid? GetFrom(XElement e) => GetAddress(e, "from");

    /// <summary>The <c>to</c> address, or <c>null</c> when absent.</summary>
    /// <exception cref="InvalidJidException">The attribute is not a valid address.</exception>
    public static Jid? GetTo(XElement e) => GetAddress(e, "to");

    /// <summary>Whether the element is an IQ of type <c>get</c> or <c>set</c>.</summary>
    public static bool IsIqRequest(XElement e) => IsIq(e) && GetType(e) is "get" or "set";

    /// <summary>Whether the element is an IQ of type <c>result</c> or <c>error</c>.</summary>
    public static bool IsIqResponse(XElement e) => IsIq(e) && GetType(e) is "result" or "error";

    private static bool Is(XElement e, XName name)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Name == name;
    }

    private static Jid? GetAddress(XElement e, string attribute)
    {
        ArgumentNullException.ThrowIfNull(e);
        string? value = (string?)e.Attribute(attribute);
        return value is null ? null : Jid.Parse(value);
    }

    private static string RequireId(XElement iq, string parameterName)
    {
        string? id = GetId(iq);
        return string.IsNullOrEmpty(id)
            ? throw new ArgumentException("The IQ has no id to answer.", parameterName)
            : id;
    }

    private static void SetAddresses(XElement stanza, string? to, string? from)
    {
        if (to is not null)
        {
            stanza.SetAttributeValue("to", to);
        }

        if (from is not null)
        {
            stanza.SetAttributeValue("from", from);
        }
    }
}
