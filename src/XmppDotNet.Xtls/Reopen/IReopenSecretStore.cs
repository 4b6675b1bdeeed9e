using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Reopen;

/// <summary>
/// Keeps the re-open secrets of one account (see <see cref="ReopenSecret"/>): at most one per pair of devices,
/// keyed by this side's bare JID and the peer's full JID. Set it with <see cref="XtlsOptions.ReopenStore"/>;
/// the default is an <see cref="InMemoryReopenSecretStore"/>, which keeps nothing on disk.
/// </summary>
/// <remarks>
/// <para>
/// <b>Why per device.</b> A contact's devices have certificates (and tunnels) of their own; a secret was agreed
/// with one of them and only that device holds it. The initiator looks its secret up by the peer's full JID, so
/// the right one is offered to the right device. The responder looks it up by the PSK identity the initiator
/// offered, among the secrets for the initiator's bare JID: a device that logged in again under a new resource
/// still holds its secret, and holding it is what proves it is that device.
/// </para>
/// <para>
/// <b>One use.</b> The service takes a secret out (<see cref="Take"/>, <see cref="TakeByIdentity"/>) before it
/// uses it, and a tunnel that opens stores a fresh one (new key, new identity, so a server cannot link two
/// re-opens by the identity): a replayed offer finds nothing.
/// </para>
/// <para>
/// Implementations are thread-safe, bound what they keep, never return an expired secret, dispose a secret they
/// drop (replaced, expired, evicted, removed) and never log keys. Calls are synchronous and quick: a store that
/// persists secrets loads them up front and writes behind, keeping them encrypted at rest.
/// </para>
/// </remarks>
public interface IReopenSecretStore
{
    /// <summary>How many secrets the store holds (expired ones not yet dropped included).</summary>
    int Count { get; }

    /// <summary>Stores a secret, replacing (and disposing) the one for the same pair of devices.</summary>
    /// <param name="secret">The secret; the store owns it from now on.</param>
    /// <param name="now">The current time: expired secrets may be dropped to make room.</param>
    void Add(ReopenSecret secret, DateTimeOffset now);

    /// <summary>Removes and returns the secret for a pair of devices, or <c>null</c> (none, or expired).</summary>
    /// <param name="local">This side's JID (its bare form is used).</param>
    /// <param name="peer">The peer device's full JID.</param>
    /// <param name="now">The current time.</param>
    ReopenSecret? Take(Jid local, Jid peer, DateTimeOffset now);

    /// <summary>
    /// Removes and returns the secret of a device of <paramref name="peer"/>'s contact whose PSK identity is
    /// <paramref name="identity"/> (compared in constant time), or <c>null</c>.
    /// </summary>
    /// <param name="local">This side's JID (its bare form is used).</param>
    /// <param name="peer">The peer's JID (its bare form is used).</param>
    /// <param name="identity">The PSK identity the peer offered.</param>
    /// <param name="now">The current time.</param>
    ReopenSecret? TakeByIdentity(Jid local, Jid peer, ReadOnlySpan<byte> identity, DateTimeOffset now);

    /// <summary>Removes (and disposes) the secrets for one device (a full JID) or all devices of a contact (a bare JID).</summary>
    /// <param name="local">This side's JID (its bare form is used).</param>
    /// <param name="peer">A device's full JID, or a contact's bare JID.</param>
    /// <returns>How many secrets were removed.</returns>
    int Remove(Jid local, Jid peer);
}
