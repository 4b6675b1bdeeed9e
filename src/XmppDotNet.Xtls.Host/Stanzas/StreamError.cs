using System.Xml;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>A stream error (RFC 6120 §4.9): the condition and optional text of <c>&lt;stream:error/&gt;</c>.</summary>
/// <param name="Condition">One of <see cref="StreamErrorConditions"/>.</param>
/// <param name="Text">Optional descriptive text for humans.</param>
public sealed record StreamError(string Condition, string? Text = null)
{
    private readonly string _condition = RequireCondition(Condition, nameof(Condition));
    private readonly string? _text = ErrorText.RequireXmlText(Text, nameof(Text));
    private readonly string? _otherHost;

    /// <summary>The defined condition, one of <see cref="StreamErrorConditions"/>.</summary>
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

    /// <summary>For <c>see-other-host</c>: the host (and optional port) to reconnect to; ignored otherwise.</summary>
    public string? OtherHost
    {
        get => _otherHost;
        init => _otherHost = ErrorText.RequireXmlText(value, nameof(OtherHost));
    }

    /// <summary>The <c>&lt;stream:error/&gt;</c> element.</summary>
    public XElement ToXElement()
    {
        XNamespace streamErrors = XmppNamespaces.StreamErrors;
        var condition = new XElement(streamErrors + Condition);
        if (OtherHost is not null && Condition == StreamErrorConditions.SeeOtherHost)
        {
            condition.Value = OtherHost;
        }

        var error = new XElement(
            XName.Get("error", XmppNamespaces.Streams),
            new XAttribute(XNamespace.Xmlns + "stream", XmppNamespaces.Streams),
            condition);
        if (Text is not null)
        {
            error.Add(new XElement(streamErrors + "text", Text));
        }

        return error;
    }

    /// <summary>Reads a <c>&lt;stream:error/&gt;</c> element; an unknown or missing condition reads as <c>undefined-condition</c>.</summary>
    /// <exception cref="ArgumentException">The element is not a stream error.</exception>
    public static StreamError FromXElement(XElement streamError)
    {
        ArgumentNullException.ThrowIfNull(streamError);
        if (streamError.Name != XName.Get("error", XmppNamespaces.Streams))
        {
            throw new ArgumentException("The element is not <stream:error/>.", nameof(streamError));
        }

        XNamespace streamErrors = XmppNamespaces.StreamErrors;
        XElement? conditionElement = streamError.Elements().FirstOrDefault(e => e.Name.Namespace == streamErrors && e.Name.LocalName != "text");
        string condition = conditionElement is not null && StreamErrorConditions.IsDefined(conditionElement.Name.LocalName)
            ? conditionElement.Name.LocalName
            : StreamErrorConditions.UndefinedCondition;
        string? host = condition == StreamErrorConditions.SeeOtherHost ? conditionElement!.Value.Trim() : null;
        return new StreamError(condition, streamError.Element(streamErrors + "text")?.Value)
        {
            OtherHost = string.IsNullOrEmpty(host) ? null : host,
        };
    }

    private static string RequireCondition(string condition, string name)
    {
        ArgumentNullException.ThrowIfNull(condition, name);
        return StreamErrorConditions.IsDefined(condition)
            ? condition
            : throw new ArgumentException($"'{condition}' is not an RFC 6120 stream error condition.", name);
    }
}
