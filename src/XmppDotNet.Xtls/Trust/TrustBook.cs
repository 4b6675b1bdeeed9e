using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// The trust rules over an in-memory table of bare JID → devices (fingerprint, source, resources seen),
/// shared by the in-memory and the file store. Not thread-safe: the stores serialise access.
/// </summary>
/// <remarks>
/// Invariants: at most <see cref="MaxDevicesPerPeer"/> devices per contact, each fingerprint once per contact,
/// at most <see cref="MaxResourcesPerDevice"/> resources per device. A device with no resource is one whose
/// resources are unknown (recorded from a bare JID, or by an earlier version of the file): it may be the
/// device behind any resource not yet seen.
/// </remarks>
internal sealed class TrustBook
{
    public const int MaxDevicesPerPeer = 32;

    public const int MaxResourcesPerDevice = 8;

    private readonly SortedDictionary<string, List<TrustDevice>> _peers = new(StringComparer.Ordinal);

    public IEnumerable<(string Peer, TrustDevice Device)> Entries =>
        _peers.SelectMany(p => p.Value.Select(d => (p.Key, d)));

    /// <summary>Checks a fingerprint; returns whether the book changed (a device or a resource was recorded).</summary>
    /// <param name="peer">The contact's bare JID.</param>
    /// <param name="resource">The resource it was presented from, or <c>null</c> if unknown.</param>
    /// <param name="presented">The fingerprint.</param>
    /// <param name="tofu">Whether a contact's first fingerprint is trusted.</param>
    /// <param name="newDevices">What a new device of a known contact gets.</param>
    /// <param name="result">The verdict.</param>
    public bool Verify(string peer, string? resource, Fingerprint presented, TrustOnFirstUse tofu, NewDevicePolicy newDevices, out TrustResult result)
    {
        if (!_peers.TryGetValue(peer, out var devices))
        {
            if (tofu == TrustOnFirstUse.Enabled)
            {
                _peers[peer] = [NewDevice(presented, TrustSource.FirstUse, resource)];
                result = new TrustResult(TrustDecision.Trusted, TrustReason.FirstUse, presented, null);
                return true;
            }

            result = new TrustResult(TrustDecision.Rejected, TrustReason.NotPinned, presented, null);
            return false;
        }

        if (Find(devices, presented) is { } match)
        {
            TrustReason reason = match.Source == TrustSource.Pinned ? TrustReason.Pinned : TrustReason.KnownFingerprint;
            result = new TrustResult(TrustDecision.Trusted, reason, presented, match.Fingerprint);
            return resource is not null && SeenOn(match, resource);
        }

        // The same device with a new key (a reinstall, or an attack), or nothing to tell it from one: no
        // resource given, or a device of the contact whose resources are unknown. Loud, refused.
        TrustDevice? sameResource = resource is null ? null : devices.Find(d => d.Resources.Contains(resource, StringComparer.Ordinal));
        TrustDevice? unplaced = devices.Find(d => d.Resources.Count == 0);
        if (resource is null || sameResource is not null || unplaced is not null)
        {
            result = new TrustResult(TrustDecision.Rejected, TrustReason.Changed, presented, (sameResource ?? unplaced ?? devices[0]).Fingerprint);
            return false;
        }

        if (devices.Count >= MaxDevicesPerPeer)
        {
            result = new TrustResult(TrustDecision.Rejected, TrustReason.TooManyDevices, presented, null);
            return false;
        }

        // A resource never seen for the contact: a new device, as far as the protocol can tell. The server
        // chooses what a resource looks like, so only a contact known by first use alone gets it on first use.
        if (tofu == TrustOnFirstUse.Disabled
            || newDevices == NewDevicePolicy.RequireConfirmation
            || devices.Exists(d => d.Source == TrustSource.Pinned))
        {
            result = new TrustResult(TrustDecision.Rejected, TrustReason.NewDeviceNotConfirmed, presented, null);
            return false;
        }

        devices.Add(NewDevice(presented, TrustSource.FirstUse, resource));
        result = new TrustResult(TrustDecision.Trusted, TrustReason.NewDevice, presented, null);
        return true;
    }

    /// <summary>
    /// Pins a fingerprint (adding it, or turning its first-use record into a pin), keeping the contact's other
    /// devices; returns whether the book changed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The contact already has <see cref="MaxDevicesPerPeer"/> other devices.</exception>
    public bool Pin(string peer, string? resource, Fingerprint fingerprint)
    {
        if (!_peers.TryGetValue(peer, out var devices))
        {
            _peers[peer] = [NewDevice(fingerprint, TrustSource.Pinned, resource)];
            return true;
        }

        bool changed = false;
        TrustDevice? device = Find(devices, fingerprint);
        if (device is null)
        {
            if (devices.Count >= MaxDevicesPerPeer)
            {
                throw new InvalidOperationException(
                    $"'{peer}' already has {MaxDevicesPerPeer} devices on record, the most a contact may have; forget one of them before pinning another.");
            }

            device = new TrustDevice(fingerprint, TrustSource.Pinned);
            devices.Add(device);
            changed = true;
        }
        else if (device.Source != TrustSource.Pinned)
        {
            device.Source = TrustSource.Pinned;
            changed = true;
        }

        return (resource is not null && SeenOn(device, resource)) || changed;
    }

    public bool Forget(string peer) => _peers.Remove(peer);

    /// <summary>Forgets one device of a contact; returns whether it was on record.</summary>
    public bool Forget(string peer, Fingerprint fingerprint)
    {
        if (!_peers.TryGetValue(peer, out var devices) || Find(devices, fingerprint) is not { } device)
        {
            return false;
        }

        devices.Remove(device);
        if (devices.Count == 0)
        {
            _peers.Remove(peer);
        }

        return true;
    }

    /// <summary>Adds an entry read from a file, keeping the invariants; returns an error message or <c>null</c>.</summary>
    public string? Load(string peer, Fingerprint fingerprint, TrustSource source, IReadOnlyList<string> resources)
    {
        if (!_peers.TryGetValue(peer, out var devices))
        {
            devices = [];
            _peers[peer] = devices;
        }

        TrustDevice? device = Find(devices, fingerprint);
        if (device is null)
        {
            if (devices.Count >= MaxDevicesPerPeer)
            {
                return $"'{peer}' has more than {MaxDevicesPerPeer} devices; forget some of them.";
            }

            device = new TrustDevice(fingerprint, source);
            devices.Add(device);
        }
        else if (source == TrustSource.Pinned)
        {
            // A repeated line: a pin wins over a first-use record of the same fingerprint.
            device.Source = TrustSource.Pinned;
        }

        foreach (string resource in resources)
        {
            if (!device.Resources.Contains(resource, StringComparer.Ordinal))
            {
                device.Resources.Add(resource);
            }
        }

        return device.Resources.Count > MaxResourcesPerDevice
            ? $"{device.Fingerprint} of '{peer}' has more than {MaxResourcesPerDevice} resources."
            : null;
    }

    private static TrustDevice NewDevice(Fingerprint fingerprint, TrustSource source, string? resource)
    {
        var device = new TrustDevice(fingerprint, source);
        if (resource is not null)
        {
            device.Resources.Add(resource);
        }

        return device;
    }

    // Compares with every device, without stopping early, so timing does not tell which one matched.
    private static TrustDevice? Find(List<TrustDevice> devices, Fingerprint fingerprint)
    {
        TrustDevice? match = null;
        foreach (TrustDevice device in devices)
        {
            bool equal = device.Fingerprint.Equals(fingerprint);
            if (equal && match is null)
            {
                match = device;
            }
        }

        return match;
    }

    // Records that the device was presented from the resource; returns whether that is news. The resource stays
    // listed for any other device seen on it: a key other than theirs from there is still a change.
    private static bool SeenOn(TrustDevice device, string resource)
    {
        if (device.Resources.Contains(resource, StringComparer.Ordinal))
        {
            return false;
        }

        device.Resources.Insert(0, resource);
        if (device.Resources.Count > MaxResourcesPerDevice)
        {
            device.Resources.RemoveAt(device.Resources.Count - 1);
        }

        return true;
    }
}
