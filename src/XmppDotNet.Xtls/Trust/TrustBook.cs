using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// The trust rules over an in-memory table of bare JID → fingerprints, shared by the in-memory and the file
/// store. Not thread-safe: the stores serialise access.
/// </summary>
/// <remarks>
/// Invariant: a peer has either one first-use fingerprint or one or more pinned ones, never both.
/// </remarks>
internal sealed class TrustBook
{
    private readonly SortedDictionary<string, List<(Fingerprint Fingerprint, TrustSource Source)>> _peers =
        new(StringComparer.Ordinal);

    public IEnumerable<(string Peer, Fingerprint Fingerprint, TrustSource Source)> Entries =>
        _peers.SelectMany(p => p.Value.Select(e => (p.Key, e.Fingerprint, e.Source)));

    /// <summary>Checks a fingerprint; returns whether the book changed (a first use was recorded).</summary>
    public bool Verify(string peer, Fingerprint presented, TrustOnFirstUse tofu, out TrustResult result)
    {
        if (!_peers.TryGetValue(peer, out var entries))
        {
            if (tofu == TrustOnFirstUse.Enabled)
            {
                _peers[peer] = [(presented, TrustSource.FirstUse)];
                result = new TrustResult(TrustDecision.Trusted, TrustReason.FirstUse, presented, null);
                return true;
            }

            result = new TrustResult(TrustDecision.Rejected, TrustReason.NotPinned, presented, null);
            return false;
        }

        // Compare with every entry, without stopping early, so timing does not tell which one matched.
        int match = -1;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Fingerprint.Equals(presented) && match < 0)
            {
                match = i;
            }
        }

        if (match < 0)
        {
            result = new TrustResult(TrustDecision.Rejected, TrustReason.Changed, presented, entries[0].Fingerprint);
            return false;
        }

        TrustReason reason = entries[match].Source == TrustSource.Pinned ? TrustReason.Pinned : TrustReason.KnownFingerprint;
        result = new TrustResult(TrustDecision.Trusted, reason, presented, entries[match].Fingerprint);
        return false;
    }

    /// <summary>Pins a fingerprint, dropping a first-use record; returns whether the book changed.</summary>
    public bool Pin(string peer, Fingerprint fingerprint)
    {
        if (!_peers.TryGetValue(peer, out var entries))
        {
            _peers[peer] = [(fingerprint, TrustSource.Pinned)];
            return true;
        }

        int removed = entries.RemoveAll(e => e.Source == TrustSource.FirstUse);
        if (entries.Any(e => e.Fingerprint.Equals(fingerprint)))
        {
            return removed > 0;
        }

        entries.Add((fingerprint, TrustSource.Pinned));
        return true;
    }

    public bool Forget(string peer) => _peers.Remove(peer);

    /// <summary>Adds an entry read from a file, keeping the invariant; returns an error message or <c>null</c>.</summary>
    public string? Load(string peer, Fingerprint fingerprint, TrustSource source)
    {
        if (!_peers.TryGetValue(peer, out var entries))
        {
            _peers[peer] = [(fingerprint, source)];
            return null;
        }

        if (entries.Any(e => e.Fingerprint.Equals(fingerprint)))
        {
            // A repeated line: a pin wins over a first-use record of the same fingerprint.
            if (source == TrustSource.Pinned)
            {
                Pin(peer, fingerprint);
            }

            return null;
        }

        if (source == TrustSource.Pinned)
        {
            Pin(peer, fingerprint);
            return null;
        }

        return entries.Exists(e => e.Source == TrustSource.Pinned)
            ? null
            : $"'{peer}' has two different first-use fingerprints; keep one, or mark them 'pinned'.";
    }
}
