using System.Buffers;
using System.Xml.Linq;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Diagnostics;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>
/// The TLS side of XTLS, one BouncyCastle engine per tunnel (no socket, no thread): ciphertext from
/// <see cref="XtlsHandler"/> is decrypted and parsed into stanzas, which are fired on down the
/// pipeline with <c>from</c>/<c>to</c> restored from the outer IQ and marked as received through the
/// tunnel; stanzas the application writes to a peer with a tunnel are stripped of their routing,
/// encrypted and handed to <see cref="XtlsHandler"/>. Nothing is delivered before the peer is trusted.
/// </summary>
public sealed class XtlsTlsHandler : ChannelHandlerAdapter
{
    private const int RecordOverhead = 5 + 256 + 16;   // header, worst-case padding and tag per record
    private const int MaxRecordPlaintext = 16_384;
    private const int RetainedPlaintextBuffer = 64 * 1024;

    private readonly XtlsService _service;
    private readonly XtlsContacts _contacts;
    private readonly ISession _session;
    private readonly XtlsHandler _tunnels;
    private readonly ILogger _logger;
    private readonly Dictionary<Jid, TunnelEndpoint> _endpoints = [];

    // The peers whose tunnels this connection's end took with it: a stanza to one of them that reaches
    // the handler afterwards (the application's send raced the end) fails like the ones in flight did.
    private readonly HashSet<Jid> _endedWithSession = [];

    // Where a stanza is serialised before encryption: reused, wiped after every stanza.
    private ArrayBufferWriter<byte>? _plaintext;
    private IChannelHandlerContext? _context;

    internal XtlsTlsHandler(XtlsService service, XtlsContacts contacts, ISession session, XtlsHandler tunnels)
    {
        _service = service;
        _contacts = contacts;
        _session = session;
        _tunnels = tunnels;
        _logger = session.LoggerFactory.CreateLogger<XtlsTlsHandler>();
    }

    private XtlsOptions Options => _service.Options;

    /// <inheritdoc />
    public override void HandlerAdded(IChannelHandlerContext context) => _context = context;

    /// <inheritdoc />
    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        switch (message)
        {
            case TunnelPending pending:
                if (!_endpoints.ContainsKey(pending.Remote))
                {
                    _endpoints[pending.Remote] = new TunnelEndpoint(pending.Remote);
                }

                break;
            case TlsStart start:
                StartTls(context, start);
                break;
            case CiphertextIn ciphertext:
                Receive(context, ciphertext);
                break;
            case TunnelWindowOpen open:
                if (_endpoints.TryGetValue(open.Remote, out TunnelEndpoint? opened))
                {
                    EncryptBatch(context, opened);
                }

                break;
            case TunnelGone gone:
                Forget(gone);
                break;
            default:
                context.FireChannelRead(message);
                break;
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is XElement stanza
            && stanza.Name.Namespace == XmppNamespaces.Client
            && !stanza.IsMarkedInClear()
            && RecipientOf(stanza) is { } to)
        {
            if (_endpoints.TryGetValue(to, out TunnelEndpoint? endpoint))
            {
                return SendThrough(context, endpoint, stanza);
            }

            if (_endedWithSession.Contains(to))
            {
                return Task.FromException(new XtlsTunnelException(to, TunnelCloseReason.SessionEnded, "the session ended, and the tunnel with it, before this stanza was written"));
            }

            if (_service.RefusesClearText(to, out (TunnelCloseReason Reason, string? Detail) failure))
            {
                return Task.FromException(new XtlsTunnelException(
                    to,
                    failure.Reason,
                    $"the last tunnel with this peer ended abnormally ({failure.Detail ?? failure.Reason.ToString()}); open a new tunnel, or send in the clear explicitly"));
            }

            if (stanza.IsOnlyThroughTunnel())
            {
                return Task.FromException(new XtlsTunnelException(to, TunnelCloseReason.PeerGone, "the tunnel ended before this copy was written"));
            }

            if (IsWorthATunnel(stanza) && _contacts.PolicyFor(to) is var policy and not ContactPolicy.Off)
            {
                if (_contacts.FanOut.KnownSupport(to) == ResourceSupport.NotSupported)
                {
                    return policy == ContactPolicy.Required
                        ? Task.FromException(NotSupportedUnderRequired(to))
                        : context.WriteAsync(message);
                }

                // Ask the peer, then open a tunnel or release what waits in the clear.
                endpoint = new TunnelEndpoint(to) { AwaitingSupportAnswer = true };
                _endpoints[to] = endpoint;
                Task sent = SendThrough(context, endpoint, stanza);
                _service.BeginAutoOpen(to);
                return sent;
            }
        }

        return context.WriteAsync(message);
    }

    /// <inheritdoc />
    public override void ChannelInactive(IChannelHandlerContext context)
    {
        foreach (TunnelEndpoint endpoint in _endpoints.Values)
        {
            endpoint.FailWaiting(new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.SessionEnded, null));
            endpoint.Dispose();
            _endedWithSession.Add(endpoint.Remote); // bounded: at most the tunnels this connection had
        }

        _endpoints.Clear();
        context.FireChannelInactive();
    }

    /// <summary>
    /// Automatic encryption found that the peer does not support XTLS: what waited for a tunnel goes
    /// in the clear. Runs on the event loop.
    /// </summary>
    internal void ReleaseInClear(Jid remote)
    {
        if (!_endpoints.TryGetValue(remote, out TunnelEndpoint? endpoint) || !endpoint.AwaitingSupportAnswer || endpoint.Engine is not null)
        {
            return;
        }

        if (_contacts.PolicyFor(remote) == ContactPolicy.Required)
        {
            AbandonAuto(remote, NotSupportedUnderRequired(remote));
            return;
        }

        _endpoints.Remove(remote);
        IChannelHandlerContext context = _context!;
        while (endpoint.Waiting.TryDequeue(out WaitingStanza? waiting))
        {
            TaskCompletionSource delivery = waiting.Delivery;
            if (waiting.Original.IsOnlyThroughTunnel())
            {
                // A contact's copy meant for the tunnel that ended: it fails, it never goes in the clear.
                delivery.TrySetException(new XtlsTunnelException(remote, TunnelCloseReason.PeerGone, "the tunnel ended before this copy was written"));
                continue;
            }

            context.WriteAsync(waiting.Original.SendInClear()).ContinueWith(
                t => _ = t.IsCompletedSuccessfully ? delivery.TrySetResult() : delivery.TrySetException(t.Exception?.GetBaseException() ?? new XtlsTunnelException(remote, TunnelCloseReason.SessionEnded, null)),
                TaskScheduler.Default);
        }

        context.Flush();
        endpoint.Dispose();
    }

    /// <summary>Automatic encryption could not ask the peer or open the tunnel: what waited fails. Runs on the event loop.</summary>
    internal void AbandonAuto(Jid remote, XtlsTunnelException reason)
    {
        if (_endpoints.TryGetValue(remote, out TunnelEndpoint? endpoint) && endpoint.AwaitingSupportAnswer && endpoint.Engine is null && endpoint.Tunnel is null)
        {
            _endpoints.Remove(remote);
            endpoint.FailWaiting(reason);
            endpoint.Dispose();
        }
    }

    /// <summary>Whether a tunnel to this peer exists in any state.</summary>
    internal bool HasTunnel(Jid remote) => _endpoints.ContainsKey(remote);

    /// <summary>The TLS endpoints (engines, buffers, waiting stanzas) kept now, for leak checks.</summary>
    internal int EndpointCount => _endpoints.Count;

    /// <summary>Closes a tunnel in order: close_notify through the tunnel, then <c>close</c>. Runs on the event loop.</summary>
    internal void Close(Jid remote)
    {
        IChannelHandlerContext context = _context!;
        if (_endpoints.TryGetValue(remote, out TunnelEndpoint? endpoint) && endpoint.Engine is { IsClosed: false } engine && !endpoint.Failed)
        {
            // What was held back for the window goes before close_notify.
            EncryptBatch(context, endpoint);
            engine.Close();
            Flush(context, endpoint, null);
        }

        _ = context.WriteAsync(new TunnelCloseRequested(remote));
    }

    // Messages and requests are what the contact policy protects; presence and IQ answers use a tunnel
    // only if one exists. disco#info requests find out whether a tunnel is possible, and XTLS's own IQs
    // set one up: they never wait for one.
    private static bool IsWorthATunnel(XElement stanza) => stanza.Name.LocalName switch
    {
        "message" => Stanza.GetType(stanza) is not ("error" or "groupchat"),
        "iq" => Stanza.IsIqRequest(stanza) && !SetsUpATunnel(stanza),
        _ => false,
    };

    private static bool SetsUpATunnel(XElement iq) =>
        iq.Elements().FirstOrDefault() is { } payload
        && (payload.Name == XName.Get("query", XmppNamespaces.DiscoInfo) || payload.Name.Namespace == XtlsNamespaces.Xtls);

    private static XtlsTunnelException NotSupportedUnderRequired(Jid remote) =>
        new(remote, TunnelCloseReason.NotSupported, "the peer does not announce XTLS, and the contact's policy requires encryption");

    private static Jid? RecipientOf(XElement stanza)
    {
        try
        {
            return Stanza.GetTo(stanza) is { IsFull: true } to ? to : null;
        }
        catch (InvalidJidException)
        {
            return null;
        }
    }

    private void StartTls(IChannelHandlerContext context, TlsStart start)
    {
        if (!_endpoints.TryGetValue(start.Remote, out TunnelEndpoint? endpoint))
        {
            endpoint = new TunnelEndpoint(start.Remote);
            _endpoints[start.Remote] = endpoint;
        }

        endpoint.AwaitingSupportAnswer = false;
        endpoint.Reopen?.Dispose();
        endpoint.Reopen = start.Reopen;

        char[]? password = null;
        try
        {
            Fingerprint? expected = start.PeerOffer?.Fingerprint is { } offered && Fingerprint.TryParse(offered, out Fingerprint parsed) ? parsed : null;
            Jid initiator = start.AsClient ? _session.Jid : start.Remote;
            bool srpReopen = start.Method == XtlsMethod.Srp && start.Reopen is not null;
            if (start.Method == XtlsMethod.Srp && !srpReopen)
            {
                password = Options.SrpPassword?.Invoke(start.Remote.Bare);
                if (password is null)
                {
                    Fail(context, endpoint, TunnelCloseReason.TlsFailure, "no SRP password is configured for this peer");
                    return;
                }
            }

            endpoint.Inner = new InnerStanzaDecoder(start.Remote, _session.Jid, Options.MaxInnerStanzaBytes);
            endpoint.Engine = TlsEngine.Create(new TlsEngineOptions
            {
                Role = start.AsClient ? TlsRole.Client : TlsRole.Server,
                Method = start.Method,
                Identity = start.Method == XtlsMethod.X509 ? _service.Identity : null,
                ExpectedPeerFingerprint = start.Method == XtlsMethod.X509 ? expected : null,
                PeerCertificateCheck = start.Method == XtlsMethod.X509 ? fingerprint => CheckDuringHandshake(endpoint, fingerprint) : null,
                SrpUserName = start.Method == XtlsMethod.Srp && !srpReopen ? initiator.Bare.ToString() : null,
                SrpPassword = password,
                MinimumVersion = start.Method == XtlsMethod.Srp ? TlsProtocolVersion.Tls12 : Options.MinimumTlsVersion,
                AllowLegacyCipherSuites = Options.AllowLegacyCipherSuites && start.Reopen is null,
                TimeProvider = _session.TimeProvider,
                ReopenKey = start.Reopen?.Key,
                Export = Options.ReopenTunnels ? ReopenDerivation.ExportRequest(_session.Jid, start.Remote, start.Method) : null,
            });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TlsEngineException)
        {
            Fail(context, endpoint, TunnelCloseReason.TlsFailure, e.Message);
            return;
        }
        finally
        {
            // The engine keeps its own copy for as long as it needs one; ours goes now.
            if (password is not null)
            {
                Array.Clear(password);
            }
        }

        Flush(context, endpoint, null);
    }

    // A trust store that answers at once (memory, file) decides inside the handshake, so that a
    // refused peer learns it from a bad_certificate alert; a slow or interactive decision is made
    // after the handshake, before anything is delivered.
    private bool CheckDuringHandshake(TunnelEndpoint endpoint, Fingerprint fingerprint)
    {
        _service.Reopens.Coordinator.NoteCertificate(_session.Jid, endpoint.Remote, fingerprint);
        if (Options.VerifyPeer is not null)
        {
            return true; // The application has the last word: asked once, after the handshake.
        }

        ValueTask<TrustResult> pending = _service.TrustStore.VerifyAsync(endpoint.Remote, fingerprint);
        if (!pending.IsCompletedSuccessfully)
        {
            endpoint.PendingTrust = pending.AsTask(); // decided after the handshake, from this answer
            _ = endpoint.PendingTrust.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed even if the handshake fails first
            return true;
        }

        endpoint.Trust = pending.Result;
        endpoint.TrustedDuringHandshake = endpoint.Trust.IsTrusted;
        return endpoint.TrustedDuringHandshake;
    }

    private void Receive(IChannelHandlerContext context, CiphertextIn ciphertext)
    {
        if (!_endpoints.TryGetValue(ciphertext.Remote, out TunnelEndpoint? endpoint) || endpoint.Failed || endpoint.Engine is not { } engine)
        {
            return;
        }

        try
        {
            engine.ReceiveCiphertext(ciphertext.Data.Span);
        }
        catch (TlsEngineException e)
        {
            Flush(context, endpoint, null); // the alert, so the peer learns why
            Fail(context, endpoint, TunnelCloseReason.TlsFailure, Describe(e), byPeerAlert: e.AlertFromPeer);
            return;
        }

        bool completedNow = engine.IsHandshakeComplete && !endpoint.HandshakeHandled;

        // TLS 1.3: the client finishes before the server has judged its certificate. The
        // acknowledgement of the flight carrying the client's Finished says the server accepted it
        // (data IQs are answered only after their bytes passed TLS), so the client waits for it.
        TaskCompletionSource? finishedAccepted = completedNow && engine.Role == TlsRole.Client
            ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
            : null;
        Flush(context, endpoint, finishedAccepted);
        if (completedNow)
        {
            endpoint.HandshakeHandled = true;
            endpoint.PeerAcceptedHandshake = finishedAccepted?.Task;
            Verify(context, endpoint, engine.SessionInfo!);
        }

        ReadPlaintext(context, endpoint, engine);
        if (!endpoint.Failed && !endpoint.PeerCloseReported && engine.PeerClosed)
        {
            // The engine has queued its close_notify in reply (flushed above); the peer's close must
            // follow, and the manager bounds the wait for it.
            endpoint.PeerCloseReported = true;
            _ = context.WriteAsync(new TunnelPeerClosed(endpoint.Remote));
        }
    }

    private void Verify(IChannelHandlerContext context, TunnelEndpoint endpoint, TlsSessionInfo info)
    {
        if (info.Reopened)
        {
            // Authenticated by the re-open key, whose basis was checked again before it was offered or accepted.
            // An engine gets a key only from a ticket, so the ticket is there; checked anyway: no trust by default.
            if (endpoint.Reopen is null)
            {
                Fail(context, endpoint, TunnelCloseReason.TlsFailure, "a re-open handshake without a re-open secret");
                return;
            }

            Establish(context, endpoint, info);
            return;
        }

        if (info.Method == XtlsMethod.Srp || info.PeerFingerprint is not { } fingerprint || endpoint.TrustedDuringHandshake)
        {
            // SRP authenticates both sides by the shared password; a certificate trusted during the handshake needs no second look.
            Establish(context, endpoint, info);
            return;
        }

        Task<TrustResult> decision = endpoint.PendingTrust ?? _service.VerifyPeerAsync(endpoint.Remote, fingerprint);
        if (decision.IsCompletedSuccessfully)
        {
            Decided(context, endpoint, info, decision.Result, null);
            return;
        }

        decision.ContinueWith(
            t => context.Executor.Execute(() => Decided(context, endpoint, info, t.IsCompletedSuccessfully ? t.Result : null, t.Exception)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Decided(IChannelHandlerContext context, TunnelEndpoint endpoint, TlsSessionInfo info, TrustResult? result, Exception? error)
    {
        if (endpoint.Failed || !ReferenceEquals(_endpoints.GetValueOrDefault(endpoint.Remote), endpoint))
        {
            return;
        }

        endpoint.Trust = result;
        if (result is not { IsTrusted: true })
        {
            _service.Reopens.Coordinator.Forget(_session.Jid, endpoint.Remote);
            string why = error is null ? $"the certificate {info.PeerFingerprint} is not trusted for {endpoint.Remote.Bare} ({result?.Reason})" : "the trust decision failed: " + error.GetBaseException().Message;
            Fail(context, endpoint, TunnelCloseReason.TlsFailure, why);
            return;
        }

        Establish(context, endpoint, info);
    }

    private void Establish(IChannelHandlerContext context, TunnelEndpoint endpoint, TlsSessionInfo info)
    {
        if (endpoint.PeerAcceptedHandshake is { IsCompleted: false } accepted)
        {
            accepted.ContinueWith(
                t => context.Executor.Execute(() =>
                {
                    // A refusal ends the tunnel through the manager; only acceptance establishes it.
                    if (t.IsCompletedSuccessfully && !endpoint.Failed && ReferenceEquals(_endpoints.GetValueOrDefault(endpoint.Remote), endpoint))
                    {
                        Establish(context, endpoint, info);
                    }
                }),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return;
        }

        if (endpoint.PeerAcceptedHandshake is { IsCompletedSuccessfully: false })
        {
            return;
        }

        // A re-opened tunnel carries over the peer fingerprint and trust decision of the tunnel its secret came from.
        ReopenTicket? reopen = info.Reopened ? endpoint.Reopen : null;
        var tunnel = new XtlsTunnel(
            endpoint.Remote,
            endpoint.Engine!.Role == TlsRole.Client,
            info.Method,
            info.ProtocolVersion,
            info.CipherSuite,
            reopen is null ? info.PeerFingerprint : reopen.PeerFingerprint,
            info.Method == XtlsMethod.X509 ? _service.Identity.Fingerprint : null)
        {
            Opened = _session.TimeProvider.GetUtcNow(),
            Trust = reopen is null ? endpoint.Trust : reopen.Trust,
            Reopened = reopen is not null,
        };
        endpoint.Tunnel = tunnel;
        endpoint.Reopen?.Dispose();
        endpoint.Reopen = null;
        _ = context.WriteAsync(new TunnelEstablished(tunnel));

        foreach (XElement held in endpoint.Held)
        {
            Deliver(context, endpoint, held);
        }

        endpoint.Held.Clear();
        endpoint.HeldBytes = 0;

        // After the tunnel is announced and what it held delivered: keeping the next re-open's secret never costs this tunnel.
        if (endpoint.Engine.TakeExportedKeyingMaterial() is { } exported)
        {
            _service.Reopens.Coordinator.Remember(_session.Jid, endpoint.Remote, info, tunnel.PeerFingerprint, tunnel.Trust, exported);
        }

        endpoint.AwaitingSupportAnswer = false;
        while (!endpoint.Failed && endpoint.Waiting.TryDequeue(out WaitingStanza? waiting))
        {
            Encrypt(context, endpoint, waiting.Inner, waiting.Delivery);
        }
    }

    private void ReadPlaintext(IChannelHandlerContext context, TunnelEndpoint endpoint, TlsEngine engine)
    {
        if (engine.AvailablePlaintext == 0 || endpoint.Inner is not { } decoder)
        {
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(engine.AvailablePlaintext, 64 * 1024));
        var results = new List<InnerStanzaResult>();
        try
        {
            while (!endpoint.Failed && engine.AvailablePlaintext > 0)
            {
                int read = engine.ReadPlaintext(buffer);
                if (endpoint.Tunnel is null)
                {
                    // Before the trust decision everything decrypted is held: each read is counted once,
                    // whatever number of stanzas it carries.
                    endpoint.HeldBytes += read;
                    if (endpoint.HeldBytes > Options.MaxHeldPlaintextBytes)
                    {
                        Fail(context, endpoint, TunnelCloseReason.LimitExceeded, "too much data before the trust decision");
                        return;
                    }
                }

                results.Clear();
                decoder.Decode(buffer.AsSpan(0, read), results);
                foreach (InnerStanzaResult result in results)
                {
                    Admit(context, endpoint, result);
                    if (endpoint.Failed)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    // Acts on one decoded element: delivers it, holds it for the trust decision, reports its rejection, or fails the tunnel.
    private void Admit(IChannelHandlerContext context, TunnelEndpoint endpoint, InnerStanzaResult result)
    {
        switch (result)
        {
            case InnerStanzaFailed failed:
                Fail(context, endpoint, failed.Reason, failed.Detail);
                return;
            case InnerStanzaRejected rejected:
                _service.OnRejected(endpoint.Remote, rejected.Rejection, rejected.StanzaName);
                return;
            case InnerStanzaAccepted { Stanza: XElement stanza } when endpoint.Tunnel is null:
                endpoint.Held.Add(stanza);
                return;
            case InnerStanzaAccepted accepted:
                Deliver(context, endpoint, accepted.Stanza);
                return;
        }
    }

    private static void Deliver(IChannelHandlerContext context, TunnelEndpoint endpoint, XElement stanza)
    {
        stanza.MarkReceived(endpoint.Tunnel!);
        context.FireChannelRead(stanza);
    }

    private Task SendThrough(IChannelHandlerContext context, TunnelEndpoint endpoint, XElement stanza)
    {
        if (endpoint.Failed)
        {
            return Task.FromException(new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.TlsFailure, "the tunnel failed"));
        }

        // Routing travels in the outer IQ; inside the tunnel the stanza carries none. Written into this handler's
        // own buffer, encrypted from there, and wiped: no copy of the tree, no array per stanza.
        // Taken out while in use: a send made from inside this one (an event handler on the loop) gets its own.
        ArrayBufferWriter<byte> writer = _plaintext ?? new ArrayBufferWriter<byte>(4096);
        _plaintext = null;
        try
        {
            StanzaWriter.WriteWithoutRouting(stanza, writer);
            if (writer.WrittenCount > Options.MaxInnerStanzaBytes)
            {
                return Task.FromException(new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.LimitExceeded, $"a stanza of {writer.WrittenCount} bytes is larger than the tunnel accepts"));
            }

            var delivery = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (endpoint.Tunnel is null)
            {
                if (endpoint.Waiting.Count >= Options.MaxQueuedStanzasPerTunnel)
                {
                    return Task.FromException(new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.LimitExceeded, "too many stanzas wait for the handshake"));
                }

                endpoint.Waiting.Enqueue(new WaitingStanza(stanza, writer.WrittenSpan.ToArray(), delivery));
                return delivery.Task;
            }

            Encrypt(context, endpoint, writer.WrittenSpan, delivery);
            return delivery.Task;
        }
        finally
        {
            // Plaintext does not linger; a buffer grown for an unusually large stanza is not kept.
            writer.Clear();
            if (writer.Capacity <= RetainedPlaintextBuffer)
            {
                _plaintext = writer;
            }
        }
    }

    private void Encrypt(IChannelHandlerContext context, TunnelEndpoint endpoint, ReadOnlySpan<byte> plaintext, TaskCompletionSource delivery)
    {
        // What is held back counts too: it becomes ciphertext in the same queue.
        int held = endpoint.Batch.Bytes;
        if (_tunnels.GetSendCapacity(endpoint.Remote) < WorstCaseCiphertext(held + plaintext.Length))
        {
            // Refused before encryption: ciphertext once produced must go out, or the TLS stream breaks.
            delivery.TrySetException(new TunnelBackpressureException($"The tunnel to {endpoint.Remote} has too much data waiting; try again later."));
            return;
        }

        // The window is full: hold the stanza, so that those written meanwhile share a record and an IQ. A batch
        // stays small enough for its record to fit one data IQ on any path, so batching never splits a record
        // that would otherwise have travelled whole; a full batch is encrypted now and waits as ciphertext.
        int maxBatch = Math.Min(Options.Tunnels.ChunkSize, SendWindow.SlowPathChunkBytes) - RecordOverhead;
        if (plaintext.Length <= maxBatch && (!endpoint.Batch.IsEmpty || _tunnels.IsSendWindowFull(endpoint.Remote)))
        {
            if (held + plaintext.Length > maxBatch)
            {
                EncryptBatch(context, endpoint);
            }

            endpoint.Batch.Add(plaintext, delivery);
            return;
        }

        // What is held goes first: order is kept.
        EncryptBatch(context, endpoint);
        if (endpoint.Failed)
        {
            delivery.TrySetException(new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.TlsFailure, "the tunnel failed"));
            return;
        }

        try
        {
            endpoint.Engine!.WritePlaintext(plaintext);
        }
        catch (Exception e) when (e is TlsEngineException or InvalidOperationException)
        {
            delivery.TrySetException(new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.TlsFailure, e.Message, e));
            return;
        }

        Flush(context, endpoint, delivery);
    }

    private static int WorstCaseCiphertext(int plaintext) => plaintext + (((plaintext / MaxRecordPlaintext) + 1) * RecordOverhead);

    /// <summary>Encrypts the plaintext held for the window in one write (one record) and hands it on.</summary>
    private static void EncryptBatch(IChannelHandlerContext context, TunnelEndpoint endpoint)
    {
        if (endpoint.Batch.IsEmpty || endpoint.Failed || endpoint.Engine is not { } engine)
        {
            return;
        }

        (byte[] buffer, int length, TaskCompletionSource[] deliveries) = endpoint.Batch.Take();
        try
        {
            engine.WritePlaintext(buffer.AsSpan(0, length));
        }
        catch (Exception e) when (e is TlsEngineException or InvalidOperationException)
        {
            var failure = new XtlsTunnelException(endpoint.Remote, TunnelCloseReason.TlsFailure, e.Message, e);
            foreach (TaskCompletionSource delivery in deliveries)
            {
                delivery.TrySetException(failure);
            }

            return;
        }
        finally
        {
            Array.Clear(buffer, 0, length);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // One token per stanza, all at the batch's end: each completes once its whole record is acknowledged.
        Flush(context, endpoint, null);
        foreach (TaskCompletionSource delivery in deliveries)
        {
            _ = context.WriteAsync(new CiphertextOut(endpoint.Remote, ReadOnlyMemory<byte>.Empty, delivery));
        }
    }

    // Hands every byte the engine has produced to XtlsHandler; the delivery completes with the last of them.
    private static void Flush(IChannelHandlerContext context, TunnelEndpoint endpoint, TaskCompletionSource? delivery)
    {
        TlsEngine? engine = endpoint.Engine;
        int available = engine?.AvailableCiphertext ?? 0;
        if (available == 0 && delivery is null)
        {
            return;
        }

        if (available == 0)
        {
            _ = context.WriteAsync(new CiphertextOut(endpoint.Remote, ReadOnlyMemory<byte>.Empty, delivery));
            return;
        }

        // XtlsHandler copies the ciphertext into the tunnel's queue during the write (same event loop, no
        // handler between), so a rented buffer serves.
        byte[] data = ArrayPool<byte>.Shared.Rent(available);
        try
        {
            int read = engine!.ReadCiphertext(data.AsSpan(0, available));
            _ = context.WriteAsync(new CiphertextOut(endpoint.Remote, data.AsMemory(0, read), delivery));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private void Fail(IChannelHandlerContext context, TunnelEndpoint endpoint, TunnelCloseReason reason, string detail, bool byPeerAlert = false)
    {
        if (endpoint.Failed)
        {
            return;
        }

        endpoint.Failed = true;
        endpoint.Held.Clear();
        NoteHandshakeFailure(endpoint);

        XtlsLog.TunnelFailed(_logger, endpoint.Remote.ToString(), reason, detail);
        endpoint.FailWaiting(new XtlsTunnelException(endpoint.Remote, reason, detail));
        _ = context.WriteAsync(new TunnelFailed(endpoint.Remote, reason, detail, byPeerAlert));
    }

    // A failed re-open starts over once with a full handshake (see ReopenAttempts.HandshakeFailed).
    private void NoteHandshakeFailure(TunnelEndpoint endpoint)
    {
        if (endpoint.Tunnel is null && endpoint.Engine is { Role: TlsRole.Client } engine)
        {
            _service.Reopens.HandshakeFailed(endpoint.Remote, engine.Method, endpoint.Reopen is { AcceptedByPeer: true });
        }
    }

    private void Forget(TunnelGone gone)
    {
        if (_endpoints.Remove(gone.Remote, out TunnelEndpoint? endpoint))
        {
            // The peer may end a failed handshake with an IQ error before its alert arrives.
            NoteHandshakeFailure(endpoint);
            bool orderly = gone.Reason is TunnelCloseReason.ClosedLocally or TunnelCloseReason.SessionEnded
                || (gone.Reason == TunnelCloseReason.ClosedByPeer && endpoint.Engine is { PeerClosed: true });
            if (endpoint.Tunnel is not null && !orderly)
            {
                _service.NoteFailedTunnel(gone.Remote, gone.Reason, gone.Detail);
            }

            if (gone.Reason == TunnelCloseReason.SessionEnded)
            {
                _endedWithSession.Add(gone.Remote); // bounded: at most the tunnels this connection had
            }

            endpoint.FailWaiting(new XtlsTunnelException(gone.Remote, gone.Reason, gone.Detail));
            gone.FailedUnsent = endpoint.FailedUnsent;
            endpoint.Dispose();
        }
    }

    private static string Describe(TlsEngineException e) =>
        e.AlertFromPeer ? $"the peer sent the alert {e.Alert} ({e.Reason})" : $"{e.Reason}: {e.Message}";
}
