using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>A trust store that lives as long as the process; see <see cref="ITrustStore"/> for the rules.</summary>
public sealed class InMemoryTrustStore : ITrustStore
{
    /// <summary>The most devices (fingerprints) kept for one contact; a new device beyond it is refused.</summary>
    public const int MaxDevicesPerPeer = TrustBook.MaxDevicesPerPeer;

    private readonly Lock _gate = new();
    private readonly TrustBook _book = new();
    private readonly TrustOnFirstUse _tofu;
    private readonly NewDevicePolicy _newDevices;

    /// <summary>Creates an empty store.</summary>
    /// <param name="tofu">Whether the first fingerprint seen for a contact is trusted and recorded.</param>
    /// <param name="newDevices">What a new device of a known contact gets (with trust on first use).</param>
    public InMemoryTrustStore(TrustOnFirstUse tofu = TrustOnFirstUse.Enabled, NewDevicePolicy newDevices = NewDevicePolicy.TrustOnFirstUse)
    {
        TrustStoreSettings.Check(tofu, newDevices);
        _tofu = tofu;
        _newDevices = newDevices;
    }

    /// <inheritdoc />
    public ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default)
    {
        var (key, resource) = TrustKeys.Of(peer, presented);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _book.Verify(key, resource, presented, _tofu, _newDevices, out TrustResult result);
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        var (key, resource) = TrustKeys.Of(peer, fingerprint);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _book.Pin(key, resource, fingerprint);
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

    /// <inheritdoc />
    public ValueTask<bool> ForgetDeviceAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        var (key, _) = TrustKeys.Of(peer, fingerprint);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_book.Forget(key, fingerprint));
        }
    }
}
