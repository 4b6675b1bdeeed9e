namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>Chooses the client mechanism from the ones a server offers.</summary>
public static class SaslMechanismSelector
{
    /// <summary>
    /// Picks the strongest offered mechanism: SCRAM-SHA-256, then SCRAM-SHA-1, then PLAIN, the last only
    /// when the stream is encrypted. Names are matched exactly (they are upper case by registration);
    /// channel-binding variants (<c>-PLUS</c>) are not implemented and therefore never chosen.
    /// </summary>
    /// <param name="offered">The mechanism names from the server's stream features.</param>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="channelIsEncrypted">Whether the stream is protected by TLS.</param>
    /// <returns>A ready mechanism, or <c>null</c> if none offered is acceptable.</returns>
    /// <exception cref="SaslPrepException">SASLprep rejects the user name or the password.</exception>
    public static SaslMechanism? Select(IEnumerable<string> offered, string username, string password, bool channelIsEncrypted)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? name in offered)
        {
            if (name is not null)
            {
                names.Add(name.Trim());
            }
        }

        if (names.Contains(SaslMechanismNames.ScramSha256))
        {
            return new ScramClientMechanism(ScramHash.Sha256, username, password);
        }

        if (names.Contains(SaslMechanismNames.ScramSha1))
        {
            return new ScramClientMechanism(ScramHash.Sha1, username, password);
        }

        if (channelIsEncrypted && names.Contains(SaslMechanismNames.Plain))
        {
            return new PlainMechanism(username, password);
        }

        return null;
    }
}
