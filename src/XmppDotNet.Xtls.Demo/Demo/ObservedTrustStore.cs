using System.Collections.Concurrent;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>Trust on first use in memory, remembering its first verdict about each peer so the demo can show it.</summary>
internal sealed class ObservedTrustStore : ITrustStore
{
    private readonly InMemoryTrustStore _inner = new(TrustOnFirstUse.Enabled);
    private readonly ConcurrentDictionary<Jid, TrustResult> _first = new();

    /// <summary>The first verdict about a peer (bare JID), or <c>null</c>.</summary>
    public TrustResult? FirstVerdict(Jid peer) => _first.TryGetValue(peer.Bare, out TrustResult? result) ? result : null;

    /// <inheritdoc />
    public async ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        TrustResult result = await _inner.VerifyAsync(peer, presented, cancellationToken).ConfigureAwait(false);
        _first.TryAdd(peer.Bare, result);
        return result;
    }

    /// <inheritdoc />
    public ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default) =>
        _inner.PinAsync(peer, fingerprint, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default) =>
        _inner.ForgetAsync(peer, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ForgetDeviceAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default) =>
        _inner.ForgetDeviceAsync(peer, fingerprint, cancellationToken);
}
