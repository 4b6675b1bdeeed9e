using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Router;

/// <summary>A stanza the router forwarded between two sessions: what a server sees.</summary>
public sealed class RoutedStanzaEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public RoutedStanzaEventArgs(Jid from, Jid to, XElement stanza)
    {
        From = from;
        To = to;
        Stanza = stanza;
    }

    /// <summary>The sending session's full JID.</summary>
    public Jid From { get; }

    /// <summary>The recipient.</summary>
    public Jid To { get; }

    /// <summary>The stanza as routed (do not modify).</summary>
    public XElement Stanza { get; }
}
