using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls;

/// <summary>Why a decrypted stanza was not delivered.</summary>
public enum XtlsRejection
{
    /// <summary>The inner <c>from</c> named someone other than the tunnel's peer.</summary>
    SpoofedSender,

    /// <summary>The inner <c>to</c> named someone other than this session.</summary>
    WrongRecipient,
}

/// <summary>A stanza arrived through a tunnel but was dropped; it never reached the application.</summary>
public sealed class XtlsStanzaRejectedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public XtlsStanzaRejectedEventArgs(Jid peer, XtlsRejection rejection, string stanzaName)
    {
        Peer = peer;
        Rejection = rejection;
        StanzaName = stanzaName;
    }

    /// <summary>The tunnel's peer.</summary>
    public Jid Peer { get; }

    /// <summary>Why it was dropped.</summary>
    public XtlsRejection Rejection { get; }

    /// <summary>The stanza's element name (<c>message</c>, <c>presence</c> or <c>iq</c>); its content is not exposed.</summary>
    public string StanzaName { get; }
}
