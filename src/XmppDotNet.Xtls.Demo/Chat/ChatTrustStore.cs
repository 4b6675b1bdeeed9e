using System.Collections.Concurrent;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// The chat's trust decisions: the known-peers file (trust on first use) or, with
/// <c>--expect-fingerprint</c> (once per device), those fingerprints alone, each pinned in the file when presented. Says on
/// standard error what it decided, once per peer and fingerprint: loudly when a fingerprint changed, and
/// with a status line when a contact shows a new device (trusted on first use, or refused until confirmed).
/// </summary>
/// <remarks>
/// The plugin may ask twice about one handshake (inside it, and again after it when the first answer was
/// not immediate), so the notices are de-duplicated; the last decision per peer is kept for the final report.
/// </remarks>
internal sealed class ChatTrustStore : ITrustStore
{
    private readonly ITrustStore _known;
    private readonly string _knownFile;
    private readonly IReadOnlySet<Fingerprint> _expected;
    private readonly StatusWriter _status;
    private readonly ConcurrentDictionary<(Jid Peer, Fingerprint Presented), TrustResult> _decisions = new();
    private readonly ConcurrentDictionary<Jid, TrustResult> _rejections = new();

    /// <summary>Creates the store.</summary>
    /// <param name="known">The known-peers store.</param>
    /// <param name="knownFile">Its file, named in notices.</param>
    /// <param name="expected">The only fingerprints to accept, or none for the known-peers file's rules.</param>
    /// <param name="status">Where notices go.</param>
    public ChatTrustStore(ITrustStore known, string knownFile, IReadOnlySet<Fingerprint> expected, StatusWriter status)
    {
        _known = known;
        _knownFile = knownFile;
        _expected = expected;
        _status = status;
    }

    /// <summary>The first decision made about a peer's fingerprint in this run, or <c>null</c>.</summary>
    public TrustResult? DecisionFor(Jid peer, Fingerprint presented) =>
        _decisions.TryGetValue((peer.Bare, presented), out TrustResult? result) ? result : null;

    /// <summary>Why the known-peers file could not be used, or <c>null</c>.</summary>
    public string? StoreFailure { get; private set; }

    /// <summary>The last fingerprint of a peer that was rejected in this run, or <c>null</c>.</summary>
    public TrustResult? LastRejection(Jid peer) =>
        _rejections.TryGetValue(peer.Bare, out TrustResult? result) ? result : null;

    /// <inheritdoc />
    /// <remarks>
    /// Answers synchronously, reading the known-peers file (small, local) on the calling thread: the plugin
    /// then decides inside the TLS handshake, so a refused peer learns it at once from a bad_certificate
    /// alert instead of seeing the tunnel open and close.
    /// </remarks>
    public ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Jid bare = peer.Bare;
        TrustResult result;
        if (_expected.Count > 0)
        {
            if (Matches(presented))
            {
                Wait(_known.PinAsync(peer, presented, cancellationToken));
                result = new TrustResult(TrustDecision.Trusted, TrustReason.Pinned, presented, presented);
            }
            else
            {
                result = new TrustResult(TrustDecision.Rejected, TrustReason.NotPinned, presented, null);
            }
        }
        else
        {
            try
            {
                result = Wait(_known.VerifyAsync(peer, presented, cancellationToken));
            }
            catch (Exception e) when (e is TrustStoreFormatException or IOException or UnauthorizedAccessException)
            {
                // Fail closed, and remember why for the error message.
                StoreFailure = $"cannot use the known-peers file: {e.Message}";
                throw;
            }
        }

        Report(peer, result);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default) =>
        _known.PinAsync(peer, fingerprint, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default) =>
        _known.ForgetAsync(peer, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ForgetDeviceAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default) =>
        _known.ForgetDeviceAsync(peer, fingerprint, cancellationToken);

    /// <summary>A one-line account of a decision, for status lines and error messages.</summary>
    public string Explain(Jid peer, TrustResult result) => result.Reason switch
    {
        TrustReason.FirstUse => $"trusted on first use, recorded in {_knownFile}",
        TrustReason.KnownFingerprint => $"known from {_knownFile}",
        TrustReason.Pinned when _expected.Count > 0 => $"matches --expect-fingerprint; pinned in {_knownFile}",
        TrustReason.Pinned => $"pinned in {_knownFile}",
        TrustReason.Changed => $"{peer} presented {result.Presented}, but {_knownFile} has {result.Known} for it",
        TrustReason.NewDevice => $"new device{OnResource(peer)}, trusted on first use, recorded in {_knownFile}",
        TrustReason.NewDeviceNotConfirmed => $"{peer.Bare} presented {result.Presented}, a new device{OnResource(peer)}; {_knownFile} has a pinned fingerprint for {peer.Bare}, so a new device needs confirmation",
        TrustReason.TooManyDevices => $"{peer.Bare} presented {result.Presented}, a new device{OnResource(peer)}, but {_knownFile} already has {FileTrustStore.MaxDevicesPerPeer} devices for it, the most it keeps; remove an old line first",
        TrustReason.NotPinned when _expected.Count > 0 => $"{peer.Bare} presented {result.Presented}, which matches no --expect-fingerprint ({string.Join(", ", _expected)})",
        TrustReason.NotPinned => $"{peer.Bare} presented {result.Presented}, which is not pinned",
        TrustReason.AcceptedByUser => "accepted",
        TrustReason.RejectedByUser => "rejected",
        _ => result.Reason.ToString(),
    };

    // Compares with every expected fingerprint in constant time, without stopping at the first match.
    private bool Matches(Fingerprint presented)
    {
        bool match = false;
        foreach (Fingerprint expected in _expected)
        {
            match |= expected.Equals(presented);
        }

        return match;
    }

    // The file store finishes on the thread pool (ConfigureAwait(false) throughout), so waiting cannot deadlock.
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private static string OnResource(Jid peer) => peer.Resource is { } resource ? $" (resource {resource})" : string.Empty;

    private void Report(Jid peer, TrustResult result)
    {
        Jid bare = peer.Bare;
        if (!result.IsTrusted)
        {
            _rejections[bare] = result;
        }

        if (!_decisions.TryAdd((bare, result.Presented), result))
        {
            return;
        }

        if (result.Reason == TrustReason.Changed)
        {
            _status.Warning(
                $"THE FINGERPRINT OF {bare} HAS CHANGED. Someone may be impersonating {bare}, or it has a new identity (reinstall, new device). "
                + $"{Explain(peer, result)}. The tunnel is refused. Check the new fingerprint with {bare} by another channel; "
                + $"if it is right, run again with --expect-fingerprint {result.Presented} (this pins it).");
        }
        else if (result.Reason == TrustReason.FirstUse)
        {
            _status.Warning($"first contact with {bare}: fingerprint {result.Presented} {Explain(bare, result)}; compare it with {bare} once by another channel");
        }
        else if (result.Reason == TrustReason.NewDevice)
        {
            _status.Warning($"new device of {bare}: {result.Presented}{OnResource(peer)}, trusted on first use, recorded in {_knownFile}; compare it with {bare} once by another channel");
        }
        else if (result.Reason == TrustReason.NewDeviceNotConfirmed)
        {
            _status.Warning(
                $"new device of {bare}: {result.Presented}{OnResource(peer)}, refused: {_knownFile} has a pinned fingerprint for {bare}, so a new device needs confirmation. "
                + $"Check it with {bare} by another channel; if it is right, confirm with --expect-fingerprint {result.Presented} (this pins it).");
        }
        else if (result.Reason == TrustReason.TooManyDevices)
        {
            _status.Warning($"new device of {bare}: {result.Presented}{OnResource(peer)}, refused: {Explain(peer, result)}.");
        }
    }
}
