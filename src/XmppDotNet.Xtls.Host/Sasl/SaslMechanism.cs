namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The client side of one SASL mechanism, for one authentication attempt.</summary>
/// <remarks>
/// The XMPP layer sends <see cref="GetInitialResponse"/> in <c>&lt;auth/&gt;</c>, answers each
/// <c>&lt;challenge/&gt;</c> with <see cref="EvaluateChallenge"/>, and calls <see cref="VerifySuccess"/>
/// with the data of <c>&lt;success/&gt;</c> before it trusts the stream. Base64 on the wire is the XMPP
/// layer's business; mechanisms see raw bytes. Instances are single-use and not thread-safe.
/// </remarks>
public abstract class SaslMechanism
{
    /// <summary>The registered mechanism name, e.g. <c>SCRAM-SHA-256</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The client's first message, or <c>null</c> if the mechanism has none.</summary>
    /// <exception cref="InvalidOperationException">Called more than once.</exception>
    public abstract byte[]? GetInitialResponse();

    /// <summary>Answers a server challenge with the next client message.</summary>
    /// <exception cref="SaslAuthenticationException">The challenge is malformed, unexpected or unacceptable.</exception>
    public abstract byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge);

    /// <summary>Checks the additional data of the server's <c>&lt;success/&gt;</c>.</summary>
    /// <exception cref="SaslAuthenticationException">
    /// The server did not prove what the mechanism requires (for SCRAM: knowledge of the password).
    /// </exception>
    public abstract void VerifySuccess(ReadOnlySpan<byte> additionalData);
}
