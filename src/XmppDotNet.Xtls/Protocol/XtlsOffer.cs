namespace XmppDotNet.Xtls.Protocol;

/// <summary>
/// A TLS offer in the XEP-0250 style, carried inside <c>start</c> and <c>proceed</c>: the fingerprint
/// of the sender's X.509 certificate (if it has one) and whether it can do SRP.
/// </summary>
/// <remarks>
/// This project writes fingerprints as the colon-separated upper-case hex of the SHA-256 of the DER
/// certificate; received fingerprints are kept as they arrived (trimmed), whatever their format,
/// within <see cref="MaxFingerprintLength"/> characters. An offer is a hint that saves a round trip,
/// never a proof: the TLS handshake decides.
/// </remarks>
public sealed record XtlsOffer
{
    /// <summary>The longest fingerprint accepted, in characters.</summary>
    public const int MaxFingerprintLength = 256;

    /// <summary>Creates an offer.</summary>
    /// <param name="fingerprint">The X.509 certificate fingerprint, or <c>null</c> when none is offered.</param>
    /// <param name="srp">Whether SRP is offered.</param>
    /// <exception cref="ArgumentException">The fingerprint is empty, too long, or has whitespace or control characters.</exception>
    public XtlsOffer(string? fingerprint, bool srp)
    {
        if (fingerprint is not null)
        {
            ValidateFingerprint(fingerprint);
        }

        Fingerprint = fingerprint;
        Srp = srp;
    }

    /// <summary>The X.509 certificate fingerprint, or <c>null</c> when none is offered.</summary>
    public string? Fingerprint { get; }

    /// <summary>Whether SRP is offered.</summary>
    public bool Srp { get; }

    private static void ValidateFingerprint(string fingerprint)
    {
        if (fingerprint.Length == 0 || fingerprint.Length > MaxFingerprintLength)
        {
            throw new ArgumentException($"A fingerprint has 1 to {MaxFingerprintLength} characters.", nameof(fingerprint));
        }

        foreach (char c in fingerprint)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new ArgumentException("A fingerprint may not contain whitespace or control characters.", nameof(fingerprint));
            }
        }
    }
}
