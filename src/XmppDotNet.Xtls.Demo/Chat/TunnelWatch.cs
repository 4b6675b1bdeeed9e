using System.Xml.Linq;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// Decides incoming tunnel requests and turns the session's and the plugin's events into tasks the chat
/// waits on: the tunnel of this run opened, it ended, or the connection to the server ended. Prints received
/// messages. Runs partly on I/O threads, hence the lock.
/// </summary>
internal sealed class TunnelWatch
{
    private readonly ChatSettings _settings;
    private readonly StatusWriter _status;
    private readonly MessagePrinter _printer;
    private readonly Action<XtlsTunnel> _announce;
    private readonly Lock _gate = new();
    private Jid? _chosen;

    /// <summary>
    /// Creates the watch; in peer mode the tunnel of this run is the one to <see cref="ChatSettings.Peer"/>, and with a
    /// contact (a bare peer) every tunnel to one of its resources is announced and its end reported.
    /// </summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="status">Where status lines go.</param>
    /// <param name="printer">Prints received messages.</param>
    /// <param name="announce">Says that the tunnel opened; called on the I/O thread before any message of the tunnel is printed.</param>
    public TunnelWatch(ChatSettings settings, StatusWriter status, MessagePrinter printer, Action<XtlsTunnel> announce)
    {
        _settings = settings;
        _status = status;
        _printer = printer;
        _announce = announce;
        _chosen = settings.Peer;
    }

    /// <summary>Completes when the tunnel of this run has opened.</summary>
    public TaskCompletionSource<XtlsTunnel> Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the tunnel of this run ended or failed (also before it opened).</summary>
    public TaskCompletionSource<XtlsTunnelClosedEventArgs> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the XMPP session ended.</summary>
    public TaskCompletionSource SessionEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Says why a tunnel to a contact's device ended (the trust decision where there was one); <c>null</c>: the reason alone.</summary>
    public Func<XtlsTunnelClosedEventArgs, string>? DescribeEnd { get; set; }

    /// <summary>The peer of this run's tunnel, once known.</summary>
    public Jid? Peer
    {
        get
        {
            lock (_gate)
            {
                return _chosen;
            }
        }
    }

    /// <summary>Subscribes to the client's and its XTLS service's events.</summary>
    public void Attach(XmppClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        XtlsService xtls = client.GetXtls();
        client.StanzaReceived += (_, e) => OnStanza(e.Stanza);
        client.Closed += (_, _) => SessionEnded.TrySetResult();
        xtls.TunnelOpened += (_, e) =>
        {
            if (_settings.PeerIsContact ? e.Tunnel.Peer.Bare == _settings.Peer : e.Tunnel.Peer == Peer && !Opened.Task.IsCompleted)
            {
                try
                {
                    _announce(e.Tunnel);
                }
                catch (IOException)
                {
                    // Standard error is gone (a closed pipe); the chat goes on without status lines.
                }

                Opened.TrySetResult(e.Tunnel);
            }
        };
        xtls.TunnelClosed += (_, e) =>
        {
            if (_settings.PeerIsContact)
            {
                // A contact's devices come and go: a status line, not the end of the chat.
                if (e.Peer.Bare == _settings.Peer && (e.WasOpen || e.Reason != Tunnels.TunnelCloseReason.NotSupported))
                {
                    _status.Info(DescribeEnd?.Invoke(e) ?? TunnelFailures.Describe(e.Peer, e.Reason, e.Detail));
                }
            }
            else if (e.Peer == Peer)
            {
                Ended.TrySetResult(e);
            }
        };
        xtls.StanzaRejected += (_, e) => _status.Warning($"dropped a {e.StanzaName} from the tunnel with {e.Peer}: {e.Rejection}");
    }

    /// <summary>
    /// The accept policy: in peer mode only the peer itself (a simultaneous start); in accept mode the first
    /// request that passes the <c>--accept</c> filter, and no other.
    /// </summary>
    public ValueTask<bool> DecideAsync(IncomingTunnelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Jid from = request.Peer;
        string? refusal;
        lock (_gate)
        {
            refusal = Refusal(from);
            if (refusal is null)
            {
                _chosen = from;
            }
        }

        if (refusal is null)
        {
            _status.Info($"accepting the tunnel request from {from}");
            return ValueTask.FromResult(true);
        }

        _status.Info($"refused a tunnel request from {from}: {refusal}");
        return ValueTask.FromResult(false);
    }

    private string? Refusal(Jid from)
    {
        if (_settings.Peer is { } peer)
        {
            // A simultaneous start: the peer itself, or with a bare --peer any of the contact's resources.
            return (peer.IsFull ? from == peer : from.Bare == peer) ? null : $"this run talks to {peer}";
        }

        if (_chosen is not null)
        {
            return $"already talking to {_chosen}";
        }

        if (_settings.AcceptFrom is { } only && !(only.IsFull ? from == only : from.Bare == only.Bare))
        {
            return $"only {only} is accepted";
        }

        return null;
    }

    private void OnStanza(XElement stanza)
    {
        if (stanza.Name != Stanza.MessageName || Stanza.GetType(stanza) == "error" || MessagePrinter.BodyOf(stanza) is null)
        {
            return;
        }

        if (stanza.IsFromXtlsTunnel(out XtlsTunnel? tunnel))
        {
            _printer.Print(stanza, tunnel);
            return;
        }

        _status.Warning($"ignored a message from {Printable.OneLine((string?)stanza.Attribute("from") ?? "the server")} that did not come through a tunnel");
    }
}
