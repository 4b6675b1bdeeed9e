using System.Xml;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>A stanza error (RFC 6120 §8.3): type, defined condition and optional human-readable text.</summary>
/// <param name="Type">What the sender should do next.</param>
/// <param name="Condition">One of <see cref="StanzaErrorConditions"/>.</param>
/// <param name="Text">Optional descriptive text for humans (never to be relied on by code).</param>
public sealed record StanzaError(StanzaErrorType Type, string Condition, string? Text = null)
{
    private readonly StanzaErrorType _type = RequireType(Type, nameof(Type));
    private readonly string _condition = RequireCondition(Condition, nameof(Condition));
    private readonly string? _text = ErrorText.RequireXmlText(Text, nameof(Text));
    private readonly string? _alternateAddress;

    /// <summary>What the sender should do next.</summary>
    public StanzaErrorType Type
    {
        get => _type;
        init => _type = RequireType(value, nameof(Type));
    }

    /// <summary>The defined condition, one of <see cref="StanzaErrorConditions"/>.</summary>
    /// <exception cref="ArgumentException">On set: not a condition RFC 6120 defines.</exception>
    public string Condition
    {
        get => _condition;
        init => _condition = RequireCondition(value, nameof(Condition));
    }

    /// <summary>Optional descriptive text for humans.</summary>
    public string? Text
    {
        get => _text;
        init => _text = ErrorText.RequireXmlText(value, nameof(Text));
    }

    /// <summary>
    /// For <c>gone</c> and <c>redirect</c>: the new address (usually an xmpp: URI) carried as the
    /// condition's character data; ignored for other conditions.
    /// </summary>
    public string? AlternateAddress
    {
        get => _alternateAddress;
        init => _alternateAddress = ErrorText.RequireXmlText(value, nameof(AlternateAddress));
    }

    /// <summary>An error of the condition with the type RFC 6120 recommends for it.</summary>
    public static StanzaError Of(string condition, string? text = null) => new(DefaultTypeFor(condition), condition, text);

    /// <summary>The error type RFC 6120 §8.3.3 recommends for a condition.</summary>
    /// <exception cref="ArgumentException">Not a condition RFC 6120 defines.</exception>
    public static StanzaErrorType DefaultTypeFor(string condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!StanzaErrorConditions.TryGetRecommendedType(condition, out StanzaErrorType type))
        {
            throw new ArgumentException($"'{condition}' is not an RFC 6120 stanza error condition.", nameof(condition));
        }

        return type;
    }

    /// <summary>
    /// The <c>&lt;error/&gt;</c> element in <c>jabber:client</c>, e.g.
    /// <c>&lt;error type='cancel'&gt;&lt;service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/&gt;&lt;/error&gt;</c>.
    /// </summary>
    public XElement ToXElement()
    {
        XNamespace stanzas = XmppNamespaces.StanzaErrors;
        var condition = new XElement(stanzas + Condition);
        if (AlternateAddress is not null && StanzaErrorConditions.CarriesAddress(Condition))
        {
            condition.Value = AlternateAddress;
        }

        var error = new XElement(
            XName.Get("error", XmppNamespaces.Client),
            new XAttribute("type", StanzaErrorTypeNames.ToWire(Type)),
            condition);
        if (Text is not null)
        {
            error.Add(new XElement(stanzas + "text", Text));
        }

        return error;
    }

    /// <summary>
    /// Reads the error of an error stanza (<c>type='error'</c>). Tolerant of what real servers send: an
    /// unknown or missing condition reads as <c>undefined-condition</c>, a missing or unknown type as
    /// <c>cancel</c>, and an error stanza without an <c>&lt;error/&gt;</c> child as
    /// <c>cancel</c>/<c>undefined-condition</c> (so a failure is never mistaken for success).
    /// </summary>
    /// <param name="stanza">An iq, message or presence stanza.</param>
    /// <returns>The error, or <c>null</c> if the stanza is not of type <c>error</c>.</returns>
    public static StanzaError? FromStanza(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (!string.Equals(Stanza.GetType(stanza), "error", StringComparison.Ordinal))
        {
            return null;
        }

        // The error element shares the stanza's namespace (jabber:client, or jabber:server between servers).
        XElement? error = stanza.Element(stanza.Name.Namespace + "error");
        if (error is null)
        {
            return new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition);
        }

        XNamespace stanzas = XmppNamespaces.StanzaErrors;
        StanzaErrorType type = StanzaErrorTypeNames.TryParse((string?)error.Attribute("type"), out StanzaErrorType parsed)
            ? parsed
            : StanzaErrorType.Cancel;
        XElement? conditionElement = error.Elements().FirstOrDefault(e => e.Name.Namespace == stanzas && e.Name.LocalName != "text");
        string condition = conditionElement is not null && StanzaErrorConditions.IsDefined(conditionElement.Name.LocalName)
            ? conditionElement.Name.LocalName
            : StanzaErrorConditions.UndefinedCondition;
        string? text = error.Element(stanzas + "text")?.Value;
        string? address = StanzaErrorConditions.CarriesAddress(condition) ? conditionElement!.Value.Trim() : null;
        return new StanzaError(type, condition, text)
        {
            AlternateAddress = string.IsNullOrEmpty(address) ? null : address,
        };
    }

    private static StanzaErrorType RequireType(StanzaErrorType type, string name) =>
        Enum.IsDefined(type) ? type : throw new ArgumentOutOfRangeException(name, type, "Unknown stanza error type.");

    private static string RequireCondition(string condition, string name)
    {
        ArgumentNullException.ThrowIfNull(condition, name);
        return StanzaErrorConditions.IsDefined(condition)
            ? condition
            : throw new ArgumentException($"'{condition}' is not an RFC 6120 stanza error condition.", name);
    }
}
