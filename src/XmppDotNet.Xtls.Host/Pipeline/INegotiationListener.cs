namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>What the <see cref="StreamNegotiationHandler"/> reports to the session that owns it.</summary>
public interface INegotiationListener
{
    /// <summary>The stream is negotiated and bound to <paramref name="boundJid"/>.</summary>
    void OnOnline(Jid boundJid);

    /// <summary>Negotiation failed; the channel is being closed.</summary>
    void OnNegotiationFailed(Exception failure);

    /// <summary>The stream of an online session ended.</summary>
    void OnStreamEnded(Session.SessionCloseReason reason, Exception? failure);
}
