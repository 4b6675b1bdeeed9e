using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Session;

/// <summary>A stanza that reached the application.</summary>
public sealed class StanzaReceivedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public StanzaReceivedEventArgs(XElement stanza) => Stanza = stanza;

    /// <summary>The stanza, in the <c>jabber:client</c> namespace.</summary>
    public XElement Stanza { get; }
}
