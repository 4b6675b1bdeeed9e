using System.Buffers;
using System.Xml.Linq;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Diagnostics;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>
/// The IQ side of XTLS: intercepts every <c>urn:xmpp:tmp:xtls</c> IQ (and the results and errors of
/// the ones it sent) so that none reaches the application, and drives the sans-IO
/// <see cref="TunnelManager"/> with them, with the ciphertext <see cref="XtlsTlsHandler"/> writes, and
/// with time. Everything runs on the channel's event loop.
/// </summary>
public sealed class XtlsHandler : ChannelHandlerAdapter
{
    private readonly XtlsService _service;
    private readonly ISession _session;
    private readonly ILogger _logger;

    // Tunnels whose peer ended them with a fatal TLS alert. The peer answers a data IQ before it
    // decrypts the chunk and decrypts nothing after its alert, so an answer arriving after the
    // alert acknowledges data that was thrown away: the stanzas it completes are reported failed.
    private readonly Dictionary<Jid, XtlsTunnelException> _abandonedByPeer = [];
    private IChannelHandlerContext? _context;
    private TunnelManager? _manager;
    private ITimer? _timer;
    private DateTimeOffset? _timerDue;
    private bool _draining;

    internal XtlsHandler(XtlsService service, ISession session)
    {
        _service = service;
        _session = session;
        _logger = session.LoggerFactory.CreateLogger<XtlsHandler>();
    }

    /// <summary>The number of tunnels in any state, for diagnostics.</summary>
    public int TunnelCount => _manager?.Count ?? 0;

    /// <summary>The IQs sent and still awaiting an answer, for leak checks.</summary>
    internal int PendingIqCount => _manager?.PendingIqCount ?? 0;

    /// <summary>The tunnels whose peer ended them with an alert and that are not forgotten yet, for leak checks.</summary>
    internal int AbandonedCount => _abandonedByPeer.Count;

    private DateTimeOffset Now => _session.TimeProvider.GetUtcNow();

    /// <inheritdoc />
    public override void HandlerAdded(IChannelHandlerContext context) => _context = context;

    /// <inheritdoc />
    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is PayloadStanza payload)
        {
            ReadPayloadStanza(context, payload);
            return;
        }

        if (message is XElement stanza && stanza.Name.Namespace == XmppNamespaces.Client)
        {
            if (stanza.Name.LocalName == "iq" && _session.State is SessionState.Online or SessionState.Closing && Manager.HandleIncoming(stanza, Now))
            {
                Drain();
                return;
            }

            if (stanza.Name.LocalName == "presence" && Stanza.GetType(stanza) == "unavailable" && _manager is not null && TryFrom(stanza) is { } gone)
            {
                // The peer's resource went away: its tunnels end now, and a new login gets a new one.
                if (_manager.PeerUnavailable(gone, Now) > 0)
                {
                    Drain();
                }
            }
        }

        context.FireChannelRead(message);
    }

    // A data IQ whose Base64 arrived as bytes: decoded from them, never from a string. Anything the tunnels do not
    // take goes on as an ordinary stanza. The payload is released exactly once, whatever happens.
    private void ReadPayloadStanza(IChannelHandlerContext context, PayloadStanza payload)
    {
        XElement? unconsumed = null;
        try
        {
            bool consumed = false;
            if (payload.Stanza.Name.Namespace == XmppNamespaces.Client && payload.Stanza.Name.LocalName == "iq"
                && payload.PayloadElement.Name == XtlsElements.DataName && _session.State is SessionState.Online or SessionState.Closing)
            {
                IByteBuffer text = payload.Content;
                ArraySegment<byte> bytes = text.GetIoBuffer(text.ReaderIndex, text.ReadableBytes);
                consumed = Manager.HandleIncoming(payload.Stanza, payload.PayloadElement, bytes, Now);
            }

            if (!consumed)
            {
                unconsumed = payload.ToXElement();
            }
        }
        finally
        {
            payload.Release();
        }

        if (unconsumed is not null)
        {
            ChannelRead(context, unconsumed);
            return;
        }

        Drain();
    }

    // The Base64 of a chunk goes straight from the ciphertext into a pooled buffer, which the encoder copies out.
    private static PayloadStanza ToPayloadStanza(IByteBufferAllocator allocator, SendStanza send)
    {
        ReadOnlySpan<byte> ciphertext = send.DataPayload.Span;
        int length = XtlsBase64.GetEncodedLength(ciphertext.Length);
        IByteBuffer buffer = allocator.Buffer(length);
        try
        {
            buffer.EnsureWritable(length);
            if (buffer.HasArray)
            {
                XtlsBase64.EncodeToUtf8(ciphertext, buffer.Array.AsSpan(buffer.ArrayOffset + buffer.WriterIndex, length));
                buffer.SetWriterIndex(buffer.WriterIndex + length);
            }
            else
            {
                byte[] scratch = ArrayPool<byte>.Shared.Rent(length);
                XtlsBase64.EncodeToUtf8(ciphertext, scratch);
                buffer.WriteBytes(scratch, 0, length);
                ArrayPool<byte>.Shared.Return(scratch);
            }

            return new PayloadStanza(send.Envelope, send.DataElement!, buffer);
        }
        catch
        {
            buffer.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        switch (message)
        {
            case CiphertextOut ciphertext:
                try
                {
                    Manager.SendCiphertext(ciphertext.Remote, ciphertext.Data.Span, ciphertext.Delivery, Now);
                }
                catch (Exception e) when (e is TunnelStateException or TunnelBackpressureException)
                {
                    ciphertext.Delivery?.TrySetException(new XtlsTunnelException(ciphertext.Remote, TunnelCloseReason.TlsFailure, e.Message, e));
                }

                Drain();
                return Task.CompletedTask;
            case TunnelEstablished established:
                if (Manager.HandshakeCompleted(established.Tunnel.Peer, Now))
                {
                    _service.OnOpened(established.Tunnel);
                }

                Drain();
                return Task.CompletedTask;
            case TunnelFailed failed:
                if (failed.ByPeerAlert)
                {
                    _abandonedByPeer[failed.Remote] = new XtlsTunnelException(failed.Remote, failed.Reason, failed.Detail);
                }

                if (!Manager.Fail(failed.Remote, failed.Reason, failed.Detail, Now))
                {
                    _abandonedByPeer.Remove(failed.Remote);
                }

                Drain();
                return Task.CompletedTask;
            case TunnelPeerClosed peerClosed:
                Manager.PeerClosedTls(peerClosed.Remote, Now);
                Drain();
                return Task.CompletedTask;
            case TunnelCloseRequested close:
                Manager.Close(close.Remote, Now);
                Drain();
                return Task.CompletedTask;
            default:
                return context.WriteAsync(message);
        }
    }

    /// <inheritdoc />
    public override void ChannelInactive(IChannelHandlerContext context)
    {
        _timer?.Dispose();
        _timer = null;
        if (_manager is not null)
        {
            _manager.EndSession(Now);
            Drain();
        }

        context.FireChannelInactive();
    }

    /// <summary>The send capacity left for a tunnel, in ciphertext bytes (0 when there is none).</summary>
    internal int GetSendCapacity(Jid remote) => _manager?.GetSendCapacity(remote) ?? 0;

    /// <summary>Whether ciphertext for this peer would wait for the window now (see <see cref="TunnelManager.IsSendWindowFull"/>).</summary>
    internal bool IsSendWindowFull(Jid remote) => _manager?.IsSendWindowFull(remote) ?? false;

    /// <summary>The state of the tunnel to a peer, or <c>null</c>.</summary>
    internal TunnelState? GetState(Jid remote) => _manager?.GetState(remote);

    /// <summary>Initiator: sends <c>start</c>. Runs on the event loop.</summary>
    internal void Open(Jid remote, XtlsMethod method, XtlsOffer? offer, byte[]? reopenIdentity)
    {
        Manager.Open(remote, XtlsMethodNames.ToWire(method), offer, reopenIdentity, Now);
        _context!.FireChannelRead(new TunnelPending(remote));
        Drain();
    }

    /// <summary>Responder: answers a pending request; returns whether it was accepted. Runs on the event loop.</summary>
    internal bool Decide(Jid remote, bool accept, XtlsOffer? offer, byte[]? reopenIdentity)
    {
        if (Manager.GetState(remote) != TunnelState.AwaitingDecision)
        {
            return false; // Decided too late: the request timed out or the peer gave up.
        }

        if (accept)
        {
            Manager.Accept(remote, offer, reopenIdentity, Now);
            _context!.FireChannelRead(new TunnelPending(remote));
        }
        else
        {
            Manager.Refuse(remote, Now);
        }

        Drain();
        return accept;
    }

    // Created once the session is online. Every use takes the current connection's announced stanza limit: a session
    // resumed on another connection may have another one, and none while it is resuming (then chunks keep to the size
    // every server accepts).
    private TunnelManager Manager
    {
        get
        {
            _manager ??= new TunnelManager(_session.Jid, _service.Options.Tunnels);
            _manager.ServerMaxStanzaBytes = _session.ServerLimits?.MaxBytes;
            return _manager;
        }
    }

    private static Jid? TryFrom(XElement stanza)
    {
        try
        {
            return Stanza.GetFrom(stanza) is { IsFull: true } from ? from : null;
        }
        catch (InvalidJidException)
        {
            return null;
        }
    }

    // Carries out what the manager asks for, in order. Re-entrant calls (the TLS handler writing
    // ciphertext while handling a StartTls) append outputs that this same loop then handles.
    private void Drain()
    {
        if (_draining || _manager is null || _context is null)
        {
            return;
        }

        _draining = true;
        bool wrote = false;
        try
        {
            while (_manager.TryDequeue(out TunnelOutput? output))
            {
                wrote |= Handle(_context, output);
            }
        }
        finally
        {
            _draining = false;
        }

        if (wrote)
        {
            _context.Flush();
        }

        ScheduleTimer();
    }

    private bool Handle(IChannelHandlerContext context, TunnelOutput output)
    {
        switch (output)
        {
            case SendStanza { DataElement: not null } data:
                _ = context.WriteAsync(ToPayloadStanza(context.Allocator, data));
                return true;
            case SendStanza send:
                _ = context.WriteAsync(send.Stanza);
                return true;
            case IncomingRequest request:
                _service.OnIncomingRequest(this, request.Remote, request.Offer, request.ReopenIdentity);
                return false;
            case ProceedReceived proceed:
                _service.RememberPeerOffer(proceed.Remote, proceed.Offer);
                _service.Reopens.ProceedReceived(proceed.Remote, proceed.ReopenIdentity);
                return false;
            case SendCapacityAvailable:
                return false;
            case SendWindowOpen open:
                // The TLS layer encrypts what it held back; the ciphertext comes back here as outputs of this loop.
                context.FireChannelRead(new TunnelWindowOpen(open.Remote));
                return false;
            case BecameResponder responder:
                XtlsLog.BecameResponder(_logger, responder.Remote.ToString());
                return false;
            case StartTls start:
                if (!XtlsMethodNames.TryParse(start.Method, out XtlsMethod method))
                {
                    Manager.Fail(start.Remote, TunnelCloseReason.UnsupportedMethod, start.Method, Now);
                    return false;
                }

                context.FireChannelRead(new TlsStart(start.Remote, start.AsClient, method, _service.TakePeerOffer(start.Remote), _service.Reopens.TakeForTls(start.Remote, start.AsClient, method)));
                return false;
            case CiphertextReceived received:
                // The TLS layer handles the bytes synchronously; a failure it reports (TunnelFailed)
                // reaches the manager before the answer, which then tells the peer it was not delivered.
                context.FireChannelRead(new CiphertextIn(received.Remote, received.Data));
                Manager.AcknowledgeData(received.Remote, received.IqId);
                return true;
            case Acknowledged acknowledged when _abandonedByPeer.TryGetValue(acknowledged.Remote, out XtlsTunnelException? discarded):
                (acknowledged.Token as TaskCompletionSource)?.TrySetException(discarded);
                return false;
            case Acknowledged acknowledged:
                (acknowledged.Token as TaskCompletionSource)?.TrySetResult();
                return false;
            case TunnelEnded ended:
                _abandonedByPeer.Remove(ended.Remote);
                var failure = new XtlsTunnelException(ended.Remote, ended.Reason, ended.Detail);
                foreach (object token in ended.UndeliveredTokens)
                {
                    (token as TaskCompletionSource)?.TrySetException(failure);
                }

                // The TLS side fails what it still held unencrypted (synchronously, on this loop): those count as undelivered too.
                var gone = new TunnelGone(ended.Remote, ended.Reason, ended.Detail);
                context.FireChannelRead(gone);
                _service.OnEnded(ended.Remote, ended.Reason, ended.Detail, ended.UndeliveredTokens.Count + gone.FailedUnsent);
                return false;
            default:
                return false;
        }
    }

    private void ScheduleTimer()
    {
        // A timer armed for no later than the next deadline stays armed: at worst it fires early, and the tick
        // re-arms it. Every acknowledgement moves the progress deadline, and a new timer per chunk costs more
        // than the chunk's other bookkeeping (and wakes the runtime's timer thread).
        DateTimeOffset? due = _manager?.NextDeadline;
        if (due is null || _context is null || (_timer is not null && _timerDue <= due))
        {
            return;
        }

        _timer?.Dispose();
        _timerDue = due;

        TimeSpan delay = due.Value - Now;
        IChannelHandlerContext context = _context;
        _timer = _session.TimeProvider.CreateTimer(
            _ => context.Executor.Execute(OnTimer),
            null,
            delay < TimeSpan.Zero ? TimeSpan.Zero : delay,
            Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        _timer?.Dispose();
        _timer = null;
        _timerDue = null;
        if (_manager is not null)
        {
            _manager.Tick(Now);
            Drain();
        }
    }
}
