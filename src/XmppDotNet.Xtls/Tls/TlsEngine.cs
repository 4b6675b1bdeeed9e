using System.Buffers;
using System.Globalization;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// One end of an XTLS tunnel's TLS connection, without I/O: ciphertext from the peer goes in through
/// <see cref="ReceiveCiphertext"/>, ciphertext for the peer comes out of <see cref="ReadCiphertext"/>,
/// plaintext goes in through <see cref="WritePlaintext"/> and comes out of <see cref="ReadPlaintext"/>.
/// BouncyCastle does the TLS; no sockets, threads or timers are involved.
/// </summary>
/// <remarks>
/// <para>
/// Drive it like this: after every call that may produce output (<see cref="Create"/> on the client,
/// <see cref="ReceiveCiphertext"/>, <see cref="WritePlaintext"/>, <see cref="Close"/>), send
/// <see cref="AvailableCiphertext"/> bytes to the peer — also after a <see cref="TlsEngineException"/>, which
/// leaves the alert for the peer queued. After <see cref="ReceiveCiphertext"/>, take
/// <see cref="AvailablePlaintext"/> bytes. Received plaintext is buffered until read, so it is bounded by the
/// ciphertext the caller feeds in; likewise the ciphertext queue by what the caller writes.
/// </para>
/// <para>
/// <b>When the handshake counts as complete.</b> The server completes when the client's Finished has been
/// verified: by then the client's certificate has been checked, so everything the server delivers is
/// authenticated. With TLS 1.3 the client completes earlier, right after sending its Finished, before the
/// server has checked the client's certificate; a rejection then arrives later as an alert, and
/// <see cref="ReceiveCiphertext"/> throws a <see cref="TlsEngineException"/> with
/// <see cref="TlsFailureReason.CertificateRejectedByPeer"/> (or <see cref="TlsFailureReason.CertificateRequired"/>).
/// So a client may write as soon as <see cref="IsHandshakeComplete"/> is true, but must not report data as
/// delivered until the peer has answered through the tunnel, and must treat a later alert as failure of the
/// whole tunnel. What the client receives is safe to deliver: it comes from a server whose certificate the
/// client has already verified, and a BouncyCastle server sends no application data before it completes.
/// With TLS 1.2 (and SRP) the client completes only after the server's Finished, so the issue does not arise.
/// </para>
/// <para>
/// <b>Trust.</b> The engine checks the optional <see cref="TlsEngineOptions.ExpectedPeerFingerprint"/> and
/// <see cref="TlsEngineOptions.PeerCertificateCheck"/> inside the handshake. The final, possibly asynchronous
/// decision (trust store, trust on first use, asking the user) belongs to the caller after the handshake and
/// before delivering anything, using <see cref="SessionInfo"/>'s peer fingerprint.
/// </para>
/// <para>
/// <b>Closing.</b> <see cref="Close"/> queues close_notify. BouncyCastle closes both directions at once:
/// ciphertext received after <see cref="Close"/> is discarded unread, so close only when nothing more is
/// expected from the peer. When the peer closes first, <see cref="PeerClosed"/> becomes true, plaintext that
/// arrived before its close_notify stays readable, and the engine queues its own close_notify in reply.
/// Anything received after a close_notify is ignored, as TLS requires.
/// </para>
/// <para>
/// <b>Failure.</b> Any error fails the engine for good: the method throws <see cref="TlsEngineException"/>,
/// <see cref="Failure"/> keeps it, plaintext not yet read is discarded (nothing is delivered from a connection
/// that failed), and later calls to <see cref="ReceiveCiphertext"/> or <see cref="WritePlaintext"/> throw
/// again. All members are thread-safe (one lock per engine); calls from one event loop are the expected use.
/// </para>
/// </remarks>
public sealed class TlsEngine : IDisposable
{
    private const int ChunkSize = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly TlsProtocol _protocol;
    private readonly HandshakeState _state;
    private readonly RecordHeaderGuard _guard = new();
    private TlsEngineException? _failure;
    private bool _disposed;

    private TlsEngine(TlsProtocol protocol, HandshakeState state)
    {
        _protocol = protocol;
        _state = state;
    }

    /// <summary>The TLS role of this end.</summary>
    public TlsRole Role => _state.Options.Role;

    /// <summary>The authentication method.</summary>
    public XtlsMethod Method => _state.Options.Method;

    /// <summary>
    /// Whether the handshake has completed on this end. For a TLS 1.3 client this does not yet mean the server
    /// accepted the client certificate: see the remarks on <see cref="TlsEngine"/>.
    /// </summary>
    public bool IsHandshakeComplete
    {
        get
        {
            lock (_gate)
            {
                return _state.IsComplete;
            }
        }
    }

    /// <summary>Whether the connection is over: close_notify sent or received, or the engine failed.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _failure is not null || _protocol.IsClosed;
            }
        }
    }

    /// <summary>Whether the peer closed the connection properly (close_notify received after the handshake).</summary>
    public bool PeerClosed
    {
        get
        {
            lock (_gate)
            {
                return _state.PeerSentCloseNotify;
            }
        }
    }

    /// <summary>Whether the engine has failed; <see cref="Failure"/> says why.</summary>
    public bool IsFailed
    {
        get
        {
            lock (_gate)
            {
                return _failure is not null;
            }
        }
    }

    /// <summary>The failure that ended the connection, or <c>null</c>.</summary>
    public TlsEngineException? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>What the handshake negotiated and the peer's certificate; <c>null</c> until it completes.</summary>
    public TlsSessionInfo? SessionInfo
    {
        get
        {
            lock (_gate)
            {
                return _state.SessionInfo;
            }
        }
    }

    /// <summary>How many plaintext bytes <see cref="ReadPlaintext"/> can return now (0 after a failure).</summary>
    public int AvailablePlaintext
    {
        get
        {
            lock (_gate)
            {
                return _disposed || _failure is not null ? 0 : _protocol.GetAvailableInputBytes();
            }
        }
    }

    /// <summary>How many ciphertext bytes wait to be sent to the peer.</summary>
    public int AvailableCiphertext
    {
        get
        {
            lock (_gate)
            {
                return _disposed ? 0 : _protocol.GetAvailableOutputBytes();
            }
        }
    }

    /// <summary>
    /// Creates an engine. A client queues its ClientHello at once: read it with <see cref="ReadCiphertext"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException">The options are incomplete or contradictory (see <see cref="TlsEngineOptions"/>).</exception>
    /// <exception cref="TlsEngineException">BouncyCastle refused to start the handshake.</exception>
    public static TlsEngine Create(TlsEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        byte[]? srpUserName = OptionsValidator.Validate(options);

        var crypto = new XtlsCrypto(new SecureRandom());
        var state = new HandshakeState(options);
        bool client = options.Role == TlsRole.Client;
        TlsProtocol protocol = client ? new AbortableClientProtocol() : new AbortableServerProtocol();
        try
        {
            if (options.Method == XtlsMethod.X509)
            {
                if (client)
                {
                    ((TlsClientProtocol)protocol).Connect(new X509TlsClient(crypto, state, options.Identity!));
                }
                else
                {
                    ((TlsServerProtocol)protocol).Accept(new X509TlsServer(crypto, state, options.Identity!));
                }
            }
            else if (options.ReopenKey is { } reopen)
            {
                if (client)
                {
                    ((TlsClientProtocol)protocol).Connect(new ReopenPskClient(crypto, state, reopen));
                }
                else
                {
                    ((TlsServerProtocol)protocol).Accept(new ReopenPskServer(crypto, state, reopen));
                }
            }
            else if (client)
            {
                var credentials = new SrpClientCredentials(srpUserName!, options.SrpPassword.Span);
                state.OnHandshakeEnded(credentials.Clear);
                ((TlsClientProtocol)protocol).Connect(new SrpClientPeer(crypto, state, credentials));
            }
            else
            {
                var identities = SrpVerifierIdentityManager.Create(crypto, srpUserName!, options.SrpPassword.Span);
                ((TlsServerProtocol)protocol).Accept(new SrpServerPeer(crypto, state, identities));
            }
        }
        catch (IOException e)
        {
            state.EndHandshake();
            throw FailureClassifier.Classify(e, state);
        }

        return new TlsEngine(protocol, state);
    }

    /// <summary>
    /// Feeds ciphertext received from the peer. Any split of the stream works: partial records are kept until
    /// the rest arrives. Afterwards, check <see cref="AvailableCiphertext"/> (handshake replies, alerts) and
    /// <see cref="AvailablePlaintext"/>. Ignored after close_notify was sent or received.
    /// </summary>
    /// <exception cref="TlsEngineException">The data is not acceptable (bad record, failed check, alert from the
    /// peer) or the engine had already failed. The engine is then failed; send its queued alert to the peer.</exception>
    /// <exception cref="ObjectDisposedException">The engine has been disposed.</exception>
    public void ReceiveCiphertext(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_failure is not null)
            {
                throw _failure.Repeat();
            }

            if (data.IsEmpty || _protocol.IsClosed)
            {
                return;
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(data.Length, ChunkSize));
            try
            {
                // Record by record, so the header check knows whether the handshake has completed.
                while (!data.IsEmpty && !_protocol.IsClosed)
                {
                    bool acceptable = _guard.Advance(data, _state.IsComplete, out int consumed);
                    Offer(data[..consumed], buffer);
                    data = data[consumed..];
                    if (!acceptable)
                    {
                        RefuseRecordVersion();
                    }
                }
            }
            catch (TlsEngineException)
            {
                throw;
            }
            catch (Exception e)
            {
                // Whatever BouncyCastle threw, the connection is dead: classify it, never leak it half-handled.
                throw Fail(e);
            }
            finally
            {
                // BouncyCastle may decrypt a whole record in place: never hand plaintext back to the pool.
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }
    }

    /// <summary>
    /// Takes the keying material exported at the end of the handshake (<see cref="TlsEngineOptions.Export"/>): the
    /// caller owns the bytes from then on and should clear them when done; later calls return <c>null</c>, as do
    /// calls before the handshake completed or without an export request. The engine clears material never taken
    /// when it is disposed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The engine has been disposed.</exception>
    public byte[]? TakeExportedKeyingMaterial()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _failure is null ? _state.TakeExported() : null;
        }
    }

    /// <summary>Copies received plaintext into <paramref name="destination"/>; returns the number of bytes (0 if none).</summary>
    /// <exception cref="ObjectDisposedException">The engine has been disposed.</exception>
    public int ReadPlaintext(Span<byte> destination)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_failure is not null)
            {
                return 0;
            }

            return Drain(_protocol.GetAvailableInputBytes(), destination, _protocol.ReadInput, clear: true);
        }
    }

    /// <summary>
    /// Encrypts application data; the records are then available from <see cref="ReadCiphertext"/>. Allowed
    /// once <see cref="IsHandshakeComplete"/> is true (a TLS 1.3 client may write right after its Finished).
    /// </summary>
    /// <exception cref="InvalidOperationException">The handshake has not completed, or the connection is closed.</exception>
    /// <exception cref="TlsEngineException">The engine has failed.</exception>
    /// <exception cref="ObjectDisposedException">The engine has been disposed.</exception>
    public void WritePlaintext(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_failure is not null)
            {
                throw _failure.Repeat();
            }

            if (!_state.IsComplete)
            {
                throw new InvalidOperationException("Application data can only be written after the TLS handshake has completed.");
            }

            if (_protocol.IsClosed)
            {
                throw new InvalidOperationException("The TLS connection is closed; no more data can be written.");
            }

            if (data.IsEmpty)
            {
                return;
            }

            try
            {
                _protocol.WriteApplicationData(data);
            }
            catch (IOException e)
            {
                throw Fail(e);
            }
        }
    }

    /// <summary>Copies ciphertext for the peer into <paramref name="destination"/>; returns the number of bytes.</summary>
    /// <remarks>Works after a failure too: that is how the alert reaches the peer.</remarks>
    /// <exception cref="ObjectDisposedException">The engine has been disposed.</exception>
    public int ReadCiphertext(Span<byte> destination)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Drain(_protocol.GetAvailableOutputBytes(), destination, _protocol.ReadOutput, clear: false);
        }
    }

    /// <summary>
    /// Closes the connection: queues close_notify (preceded by user_canceled during the handshake). Nothing
    /// can be written afterwards and received ciphertext is ignored. Does nothing if already closed or failed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The engine has been disposed.</exception>
    public void Close()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_failure is not null || _protocol.IsClosed)
            {
                return;
            }

            try
            {
                _protocol.Close();
            }
            catch (IOException e)
            {
                throw Fail(e);
            }
            finally
            {
                _state.EndHandshake();
            }
        }
    }

    /// <summary>Releases the engine and clears what secrets it can (the SRP password copy, handshake state).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _state.EndHandshake();
            _state.ClearExported();
            if (!_protocol.IsClosed)
            {
                try
                {
                    // Clears BouncyCastle's handshake secrets; the queued close_notify is never read.
                    _protocol.Close();
                }
                catch (IOException)
                {
                    // Disposing must not throw; the engine is unusable either way.
                }
            }
        }
    }

    private static int Drain(int available, Span<byte> destination, Func<byte[], int, int, int> read, bool clear)
    {
        int wanted = Math.Min(available, destination.Length);
        if (wanted <= 0)
        {
            return 0;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(wanted, ChunkSize));
        int total = 0;
        try
        {
            while (total < wanted)
            {
                int count = read(buffer, 0, Math.Min(buffer.Length, wanted - total));
                if (count <= 0)
                {
                    break;
                }

                buffer.AsSpan(0, count).CopyTo(destination[total..]);
                total += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: clear);
        }

        return total;
    }

    private void Offer(ReadOnlySpan<byte> data, byte[] buffer)
    {
        while (!data.IsEmpty && !_protocol.IsClosed)
        {
            int count = Math.Min(data.Length, buffer.Length);
            data[..count].CopyTo(buffer);
            _protocol.OfferInput(buffer, 0, count);
            data = data[count..];
        }
    }

    private void RefuseRecordVersion()
    {
        TlsFatalAlert alert = _state.Reject(
            TlsFailureReason.ProtocolError,
            AlertDescription.protocol_version,
            string.Create(
                CultureInfo.InvariantCulture,
                $"A record header says version 0x{_guard.RefusedVersion:X4}; after the handshake every record must say 0x0303."));
        ((IAbortableProtocol)_protocol).Abort(alert);
        throw Fail(alert);
    }

    private TlsEngineException Fail(Exception error)
    {
        _failure = FailureClassifier.Classify(error, _state);
        _state.EndHandshake();
        _state.ClearExported();
        DiscardPlaintext();
        return _failure;
    }

    private void DiscardPlaintext()
    {
        int available = _protocol.GetAvailableInputBytes();
        if (available <= 0)
        {
            return;
        }

        byte[] sink = new byte[Math.Min(available, ChunkSize)];
        while (_protocol.ReadInput(sink, 0, sink.Length) > 0)
        {
            Array.Clear(sink);
        }

        Array.Clear(sink);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
