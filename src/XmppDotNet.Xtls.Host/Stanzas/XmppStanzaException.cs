using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>Thrown when a peer or server answers a stanza with a stanza error.</summary>
public sealed class XmppStanzaException : XmppException
{
    private const int MaxQuotedText = 200;

    /// <summary>Creates the exception with an <c>undefined-condition</c> error.</summary>
    public XmppStanzaException()
        : this("The peer answered with a stanza error.")
    {
    }

    /// <summary>Creates the exception with an <c>undefined-condition</c> error and a message.</summary>
    public XmppStanzaException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with an <c>undefined-condition</c> error, a message and the cause.</summary>
    public XmppStanzaException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = new StanzaError(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition);
    }

    /// <summary>Creates the exception for an error, with a message that names it.</summary>
    /// <param name="error">The error the peer sent.</param>
    /// <param name="stanza">The error stanza, or <c>null</c>.</param>
    public XmppStanzaException(StanzaError error, XElement? stanza = null)
        : this(error, stanza, Describe(error, stanza))
    {
    }

    /// <summary>Creates the exception for an error with a message.</summary>
    /// <param name="error">The error the peer sent.</param>
    /// <param name="stanza">The error stanza, or <c>null</c>.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, or <c>null</c>.</param>
    public XmppStanzaException(StanzaError error, XElement? stanza, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
        Stanza = stanza;
    }

    /// <summary>The error the peer sent.</summary>
    public StanzaError Error { get; }

    /// <summary>The error stanza as received, if known.</summary>
    public XElement? Stanza { get; }

    /// <summary>The exception for an error stanza.</summary>
    /// <exception cref="ArgumentException">The stanza is not of type error.</exception>
    public static XmppStanzaException FromStanza(XElement errorStanza)
    {
        ArgumentNullException.ThrowIfNull(errorStanza);
        StanzaError error = StanzaError.FromStanza(errorStanza)
            ?? throw new ArgumentException("The stanza is not of type error.", nameof(errorStanza));
        return new XmppStanzaException(error, errorStanza);
    }

    private static string Describe(StanzaError error, XElement? stanza)
    {
        ArgumentNullException.ThrowIfNull(error);
        string from = (string?)stanza?.Attribute("from") is { } sender ? " from " + sender : string.Empty;
        string text = error.Text is null
            ? string.Empty
            : ": " + (error.Text.Length <= MaxQuotedText ? error.Text : error.Text[..MaxQuotedText] + "…");
        return $"Stanza error{from}: {StanzaErrorTypeNames.ToWire(error.Type)}/{error.Condition}{text}";
    }
}
