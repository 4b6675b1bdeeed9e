using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tests.Tls;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A peer that speaks XTLS but is not bound by it: a plain client (no UseXtls) whose stanza handler
/// drives its own <see cref="TunnelManager"/> and <see cref="TlsEngine"/>s, so that it can put any bytes
/// into the tunnel (spoofed addresses, XML that is no stanza), or accept a tunnel and never speak TLS.
/// Everything touching the manager and the engines runs on the client's event loop.
/// </summary>
internal sealed class HostilePeer : IAsyncDisposable
{
    private readonly Dictionary<Jid, TlsEngine> _engines = [];
    private readonly Dictionary<Jid, BcEndpoint> _rawClients = [];
    private Func<BcEndpoint>? _rawClient;
    private readonly Dictionary<Jid, TaskCompletionSource> _handshakes = [];
    private readonly HashSet<Jid> _closedTls = [];
    private TunnelManager _manager = null!;

    private HostilePeer(XmppClient client, bool speaksTls)
    {
        Client = client;
        SpeaksTls = speaksTls;
    }

    public XmppClient Client { get; }

    public Jid Jid => Client.Jid;

    public XtlsIdentity Identity { get; } = XtlsIdentity.Generate();

    /// <summary>Whether it answers the TLS handshake at all; when not, it accepts tunnels and then stays silent.</summary>
    public bool SpeaksTls { get; }

    /// <summary>The first proceed it received for a start it sent.</summary>
    public TaskCompletionSource<Jid> ProceedReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first ciphertext that reached it.</summary>
    public TaskCompletionSource<Jid> CiphertextReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first ciphertext that reached it after it closed TLS without close (the honest side's close_notify in reply).</summary>
    public TaskCompletionSource<Jid> AnsweredAfterTlsClose { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first tunnel that ended on its side.</summary>
    public TaskCompletionSource<TunnelEnded> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Logs a plain client in as a hostile peer.</summary>
    public static async Task<HostilePeer> ConnectAsync(InMemoryRouter router, string user, string password, string resource, bool speaksTls = true)
    {
        XmppClient client = await PlainClients.ConnectAsync(router, user, password, resource);
        var peer = new HostilePeer(client, speaksTls);
        peer._manager = new TunnelManager(client.Jid, idPrefix: "mallory");
        client.AddStanzaHandler(s => s.Name.LocalName == "iq", s => ValueTask.FromResult(peer.Handle(s)));
        return peer;
    }

    /// <summary>Opens a tunnel as the initiator (TLS client) and waits until its own handshake has completed.</summary>
    public async Task OpenAsync(Jid remote)
    {
        var handshake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await OnLoopAsync(() =>
        {
            _handshakes[remote] = handshake;
            _manager.Open(remote, XtlsMethodNames.X509, new XtlsOffer(Identity.Fingerprint.ToString(), srp: false), DateTimeOffset.UtcNow);
            Drain();
        });
        await handshake.Task.WaitAsync(XtlsPair.Bound);
    }

    /// <summary>
    /// Opens a tunnel whose TLS client is a plain BouncyCastle peer configured beyond what the engine
    /// allows (a TLS 1.2-only or legacy-suite client); returns it once the tunnel has ended.
    /// </summary>
    public async Task<BcEndpoint> OpenWithRawClientAsync(Jid remote, Func<BcEndpoint> rawClient)
    {
        await OnLoopAsync(() =>
        {
            _rawClient = rawClient;
            _manager.Open(remote, XtlsMethodNames.X509, new XtlsOffer(Identity.Fingerprint.ToString(), srp: false), DateTimeOffset.UtcNow);
            Drain();
        });
        await Ended.Task.WaitAsync(XtlsPair.Bound);
        return await Client.Channel!.EventLoop.SubmitAsync(() => _rawClients[remote]).WaitAsync(XtlsPair.Bound);
    }

    /// <summary>Sends start and nothing more: with <see cref="SpeaksTls"/> off, the handshake never begins.</summary>
    public Task StartOnlyAsync(Jid remote) => OnLoopAsync(() =>
    {
        _manager.Open(remote, XtlsMethodNames.X509, null, DateTimeOffset.UtcNow);
        Drain();
    });

    /// <summary>Encrypts exactly these bytes into the tunnel, whatever they are.</summary>
    public Task SendRawAsync(Jid remote, string plaintext) => OnLoopAsync(() =>
    {
        _engines[remote].WritePlaintext(Encoding.UTF8.GetBytes(plaintext));
        FlushEngine(remote);
        Drain();
    });

    /// <summary>Encrypts exactly these bytes into the tunnel, valid UTF-8 or not.</summary>
    public Task SendRawBytesAsync(Jid remote, byte[] plaintext) => OnLoopAsync(() =>
    {
        _engines[remote].WritePlaintext(plaintext);
        FlushEngine(remote);
        Drain();
    });

    /// <summary>Sends close_notify through the tunnel and then never the <c>close</c> IQ that should follow it.</summary>
    public Task CloseTlsOnlyAsync(Jid remote) => OnLoopAsync(() =>
    {
        _closedTls.Add(remote);
        _engines[remote].Close();
        FlushEngine(remote);
        Drain();
    });

    public async ValueTask DisposeAsync() => await Client.DisposeAsync().AsTask().WaitAsync(XtlsPair.Bound);

    private Task<bool> OnLoopAsync(Action action) => Client.Channel!.EventLoop.SubmitAsync(() =>
    {
        action();
        return true;
    });

    private bool Handle(XElement stanza)
    {
        bool consumed = _manager.HandleIncoming(stanza, DateTimeOffset.UtcNow);
        Drain();
        return consumed;
    }

    private void Drain()
    {
        while (_manager.TryDequeue(out TunnelOutput? output))
        {
            switch (output)
            {
                case SendStanza send:
                    _ = Client.SendAsync(send.Stanza);
                    break;
                case IncomingRequest request:
                    _manager.Accept(request.Remote, new XtlsOffer(Identity.Fingerprint.ToString(), srp: false), DateTimeOffset.UtcNow);
                    break;
                case ProceedReceived proceed:
                    ProceedReceived.TrySetResult(proceed.Remote);
                    break;
                case StartTls start when _rawClient is not null:
                    _rawClients[start.Remote] = _rawClient();
                    FlushRaw(start.Remote);
                    break;
                case StartTls start when SpeaksTls:
                    _engines[start.Remote] = TlsEngine.Create(new TlsEngineOptions
                    {
                        Role = start.AsClient ? TlsRole.Client : TlsRole.Server,
                        Method = XtlsMethod.X509,
                        Identity = Identity,
                    });
                    FlushEngine(start.Remote);
                    break;
                case CiphertextReceived received:
                    CiphertextReceived.TrySetResult(received.Remote);
                    if (_closedTls.Contains(received.Remote))
                    {
                        AnsweredAfterTlsClose.TrySetResult(received.Remote);
                    }

                    if (_rawClients.TryGetValue(received.Remote, out BcEndpoint? raw))
                    {
                        raw.Receive(received.Data.Span);
                        FlushRaw(received.Remote);
                    }
                    else if (_engines.TryGetValue(received.Remote, out TlsEngine? engine))
                    {
                        Receive(received.Remote, engine, received.Data);
                    }

                    _manager.AcknowledgeData(received.Remote, received.IqId);
                    break;
                case TunnelEnded ended:
                    Ended.TrySetResult(ended);
                    _handshakes.GetValueOrDefault(ended.Remote)?.TrySetException(new XtlsTunnelException(ended.Remote, ended.Reason, ended.Detail));
                    if (_engines.Remove(ended.Remote, out TlsEngine? gone))
                    {
                        gone.Dispose();
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private void Receive(Jid remote, TlsEngine engine, ReadOnlyMemory<byte> ciphertext)
    {
        try
        {
            engine.ReceiveCiphertext(ciphertext.Span);
        }
        catch (TlsEngineException e)
        {
            FlushEngine(remote);
            _manager.Fail(remote, TunnelCloseReason.TlsFailure, e.Message, DateTimeOffset.UtcNow);
            return;
        }

        FlushEngine(remote);
        if (engine.IsHandshakeComplete && _manager.HandshakeCompleted(remote, DateTimeOffset.UtcNow))
        {
            _handshakes.GetValueOrDefault(remote)?.TrySetResult();
        }
    }

    private void FlushRaw(Jid remote)
    {
        byte[] ciphertext = _rawClients[remote].TakeCiphertext();
        if (ciphertext.Length > 0)
        {
            _manager.SendCiphertext(remote, ciphertext, null, DateTimeOffset.UtcNow);
        }
    }

    private void FlushEngine(Jid remote)
    {
        TlsEngine engine = _engines[remote];
        if (engine.AvailableCiphertext == 0)
        {
            return;
        }

        byte[] ciphertext = new byte[engine.AvailableCiphertext];
        engine.ReadCiphertext(ciphertext);
        _manager.SendCiphertext(remote, ciphertext, null, DateTimeOffset.UtcNow);
    }
}
