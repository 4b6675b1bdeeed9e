using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>
/// A lost connection could not be resumed; the session ends (<see cref="Session.ISession.Closed"/> follows).
/// Lists the stanzas the server never acknowledged: as far as the client knows, they were not delivered.
/// </summary>
public sealed class ResumptionFailedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public ResumptionFailedEventArgs(XmppResumptionFailedException failure, IReadOnlyList<XElement> unacknowledged, bool startsNewSession)
    {
        Failure = failure;
        Unacknowledged = unacknowledged;
        StartsNewSession = startsNewSession;
    }

    /// <summary>Why the resumption failed (the last attempt's error is its inner exception).</summary>
    public XmppResumptionFailedException Failure { get; }

    /// <summary>The stanzas sent and never acknowledged, oldest first.</summary>
    public IReadOnlyList<XElement> Unacknowledged { get; }

    /// <summary>
    /// Whether the client starts a new session by itself after <see cref="Session.ISession.Closed"/>
    /// (<see cref="StreamManagementOptions.NewSessionAfterFailedResumption"/>).
    /// </summary>
    public bool StartsNewSession { get; }
}
