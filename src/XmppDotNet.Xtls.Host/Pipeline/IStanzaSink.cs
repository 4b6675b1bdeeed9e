using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>What the <see cref="StanzaHandler"/> needs from the session that owns it.</summary>
public interface IStanzaSink
{
    /// <summary>The session's current JID (bound full JID once online).</summary>
    Jid Jid { get; }

    /// <summary>The IQ correlation of the session.</summary>
    IqTracker Iqs { get; }

    /// <summary>Runs the registered handlers; <c>true</c> if one consumed the stanza.</summary>
    ValueTask<bool> DispatchAsync(XElement stanza);

    /// <summary>Hands a stanza no handler consumed to the application.</summary>
    void Deliver(XElement stanza);
}
