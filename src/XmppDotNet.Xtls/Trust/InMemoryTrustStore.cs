using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>A trust store that lives as long as the process; see <see cref="ITrustStore"/> for the rules.</summary>
public sealed class InMemoryTrustStore : ITrustStore
{
    private readonly Lock _gate = new();
    private readonly TrustBook _book = new();
    private readonly TrustOnFirstUse _tofu;

    /// <summary>Creates an empty store.</summary>
    /// <param name="tofu">Whether the first fingerprint seen for a peer is trusted and recorded.</param>
    public InMemoryTrustStore(TrustOnFirstUse tofu = TrustOnFirstUse.Enabled)
    {
        if (!Enum.IsDefined(tofu))
        {
            throw new ArgumentOutOfRangeException(nameof(tofu), tofu, "Unknown trust-on-first-use setting.");
        }

        _tofu = tofu;
    }

    /// <inheritdoc />
    public ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default)
    {
        string key = TrustKeys.Of(peer, presented);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _book.Verify(key, presented, _tofu, out TrustResult result);
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        string key = TrustKeys.Of(peer, fingerprint);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _book.Pin(key, fingerprint);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_book.Forget(peer.Bare.ToString()));
        }
    }
}
