using System.Net;
using System.Net.Sockets;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Asks the operating system for a port on 127.0.0.1 that nothing listens on right now.</summary>
internal static class FreeTcpPort
{
    /// <summary>
    /// Binds port 0 and releases it. Another process may take the port before Prosody binds it,
    /// so the caller must be ready to pick again.
    /// </summary>
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
