using System.Net;
using System.Net.Sockets;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Asks whether anything accepts TCP connections on a port.</summary>
internal static class LoopbackPort
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>True when a connection succeeds; false when it is refused (nothing listens).</summary>
    public static async Task<bool> AcceptsConnectionsAsync(string host, int port)
    {
        var address = IPAddress.Parse(host);
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(address, port, timeout.Token);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }
}
