using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// A loopback TCP proxy in front of a server that can cut every connection through it the way a broken
/// network does: both sides get a reset (RST), nobody sends a closing handshake. Each connection copies
/// bytes both ways through a fixed buffer.
/// </summary>
public sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int> _targetPort;
    private readonly ConcurrentDictionary<Pair, byte> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    /// <summary>Starts a proxy to 127.0.0.1:<paramref name="targetPort"/> (read at each connection, so a restarted server may move).</summary>
    public CuttableTcpProxy(Func<int> targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Resets every connection through the proxy, on both sides; new connections are accepted as before.</summary>
    /// <returns>How many connections were cut.</returns>
    public int CutAll()
    {
        int cut = 0;
        foreach (Pair pair in _pairs.Keys)
        {
            pair.Reset();
            _pairs.TryRemove(pair, out _);
            cut++;
        }

        return cut;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var pair = new Pair(client, server);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort(), _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            pair.Reset(); // the server is down: the client sees its connection fail
            return;
        }

        _pairs[pair] = 0;
        await Task.WhenAll(CopyAsync(client, server, pair), CopyAsync(server, client, pair));
        _pairs.TryRemove(pair, out _);
        pair.Reset(); // both directions ended: release the sockets
    }

    private static async Task CopyAsync(Socket from, Socket to, Pair pair)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send); // an orderly close passes through as one
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            pair.Reset();
        }
    }

    private sealed class Pair(Socket client, Socket server)
    {
        private int _reset;

        public void Reset()
        {
            if (Interlocked.Exchange(ref _reset, 1) != 0)
            {
                return;
            }

            foreach (Socket socket in new[] { client, server })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0); // close with RST, not FIN
                    socket.Close();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // Already gone.
                }
            }
        }
    }
}
