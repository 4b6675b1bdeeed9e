namespace XmppDotNet.Xtls;

/// <summary>A tunnel opened (either side initiated it).</summary>
public sealed class XtlsTunnelOpenedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public XtlsTunnelOpenedEventArgs(XtlsTunnel tunnel) => Tunnel = tunnel;

    /// <summary>The tunnel.</summary>
    public XtlsTunnel Tunnel { get; }
}
