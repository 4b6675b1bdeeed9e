namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>The <c>type</c> of a stanza error (RFC 6120 §8.3.2): what the sender should do next.</summary>
public enum StanzaErrorType
{
    /// <summary>Retry after providing credentials.</summary>
    Auth,

    /// <summary>Do not retry: the error cannot be remedied.</summary>
    Cancel,

    /// <summary>Proceed: the condition was only a warning.</summary>
    Continue,

    /// <summary>Retry after changing the data sent.</summary>
    Modify,

    /// <summary>Retry after waiting: the error is temporary.</summary>
    Wait,
}
