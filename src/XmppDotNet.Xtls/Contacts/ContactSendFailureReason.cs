namespace XmppDotNet.Xtls.Contacts;

/// <summary>Why a copy of a stanza to a contact, or the whole send, failed.</summary>
public enum ContactSendFailureReason
{
    /// <summary>The contact has no resource online (policy <see cref="ContactPolicy.Required"/>).</summary>
    NoResourceOnline,

    /// <summary>The resource does not announce XTLS (policy <see cref="ContactPolicy.Required"/>).</summary>
    NotSupported,

    /// <summary>Whether the resource supports XTLS could not be learnt (no answer to disco#info in time, an error); nothing was sent to it in the clear.</summary>
    SupportUnknown,

    /// <summary>The resource is beyond <see cref="Tunnels.TunnelManagerOptions.MaxTunnelsPerBareJid"/>: no tunnel was opened to it.</summary>
    LimitExceeded,

    /// <summary>The tunnel could not be opened, or ended before the copy was acknowledged; the inner exception says why.</summary>
    TunnelFailed,

    /// <summary>The copy sent in the clear could not be written (the connection closed).</summary>
    SendFailed,

    /// <summary>No tunnel to the contact is open (<see cref="XtlsContacts.SendToTunnelsAsync"/>).</summary>
    NoTunnelOpen,
}
