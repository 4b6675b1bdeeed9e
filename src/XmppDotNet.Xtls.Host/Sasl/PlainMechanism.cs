using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>
/// The client side of PLAIN (RFC 4616): <c>[authzid] NUL authcid NUL passwd</c> in UTF-8.
/// </summary>
/// <remarks>
/// PLAIN sends the password itself, so it must only be used on an encrypted stream
/// (<see cref="SaslMechanismSelector"/> enforces that). The server does not authenticate itself:
/// <see cref="VerifySuccess"/> can only check that the exchange happened in order.
/// User name and password are prepared with SASLprep as queries; the authorization identity (a JID
/// in XMPP) is sent as given.
/// </remarks>
public sealed class PlainMechanism : SaslMechanism
{
    private byte[]? _message;
    private bool _sent;

    /// <summary>Creates the mechanism for one authentication attempt.</summary>
    /// <param name="username">The authentication identity (the localpart of the account's JID in XMPP).</param>
    /// <param name="password">The password (not empty).</param>
    /// <param name="authzid">The identity to act as, or <c>null</c> to act as the authenticated user.</param>
    /// <exception cref="ArgumentException">A value is empty after SASLprep, or the authzid is empty or contains NUL.</exception>
    /// <exception cref="SaslPrepException">SASLprep rejects the user name or the password.</exception>
    public PlainMechanism(string username, string password, string? authzid = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (authzid is not null && (authzid.Length == 0 || authzid.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("The authorization identity must be non-empty and free of NUL.", nameof(authzid));
        }

        // SASLprep prohibits NUL (table C.2.1), so the separators stay unambiguous.
        string preparedUsername = SaslPrep.Prepare(username, allowUnassigned: true);
        string preparedPassword = SaslPrep.Prepare(password, allowUnassigned: true);
        if (preparedUsername.Length == 0)
        {
            throw new ArgumentException("The user name is empty after SASLprep.", nameof(username));
        }

        if (preparedPassword.Length == 0)
        {
            throw new ArgumentException("PLAIN requires a non-empty password.", nameof(password));
        }

        _message = ScramSyntax.Encode((authzid ?? string.Empty) + "\0" + preparedUsername + "\0" + preparedPassword);
    }

    /// <inheritdoc />
    public override string Name => SaslMechanismNames.Plain;

    /// <summary>The PLAIN message. The mechanism keeps no copy of it afterwards.</summary>
    /// <exception cref="InvalidOperationException">Called more than once.</exception>
    public override byte[]? GetInitialResponse()
    {
        byte[] message = _message ?? throw new InvalidOperationException("The PLAIN message has already been produced.");
        byte[] copy = message.ToArray();
        CryptographicOperations.ZeroMemory(message);
        _message = null;
        _sent = true;
        return copy;
    }

    /// <summary>PLAIN has no challenges: any challenge is a protocol error.</summary>
    /// <exception cref="SaslAuthenticationException">Always (<c>malformed-request</c>).</exception>
    public override byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) =>
        throw new SaslAuthenticationException(SaslConditions.MalformedRequest, "PLAIN has no challenges, but the server sent one.");

    /// <summary>Checks that success came after the credentials and without additional data.</summary>
    /// <exception cref="SaslAuthenticationException">Success came first, or with data (<c>malformed-request</c>).</exception>
    public override void VerifySuccess(ReadOnlySpan<byte> additionalData)
    {
        if (!_sent)
        {
            throw new SaslAuthenticationException(SaslConditions.MalformedRequest, "The server claimed success before the credentials were sent.");
        }

        if (!additionalData.IsEmpty)
        {
            throw new SaslAuthenticationException(SaslConditions.MalformedRequest, "PLAIN success carries no additional data, but the server sent some.");
        }
    }
}
