using System.Text;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tls;

/// <summary>Rejects option combinations that cannot work or would silently weaken a check.</summary>
internal static class OptionsValidator
{
    /// <summary>Passwords longer than this are refused: the limit bounds the copies the engine makes.</summary>
    public const int MaxSrpPasswordChars = 1024;

    /// <summary>Validates the options; for SRP, returns the user name as the UTF-8 bytes of the bare JID.</summary>
    public static byte[]? Validate(TlsEngineOptions options)
    {
        if (!Enum.IsDefined(options.Role))
        {
            throw new ArgumentException($"Unknown role {options.Role}.", nameof(options));
        }

        if (!Enum.IsDefined(options.Method))
        {
            throw new ArgumentException($"Unknown method {options.Method}.", nameof(options));
        }

        if (!Enum.IsDefined(options.MinimumVersion))
        {
            throw new ArgumentException($"Unknown protocol version {options.MinimumVersion}.", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider cannot be null.", nameof(options));
        }

        if (options.ExpectedPeerFingerprint is { IsEmpty: true })
        {
            throw new ArgumentException(
                "ExpectedPeerFingerprint is the empty fingerprint; pass null for no expectation.", nameof(options));
        }

        if (options.Export is { } export
            && (string.IsNullOrEmpty(export.Label) || export.Length is < 1 or > 255 || export.Label.Any(c => c > 0x7E || c < 0x20)))
        {
            throw new ArgumentException("Export needs a printable ASCII label and a length of 1 to 255 bytes.", nameof(options));
        }

        if (options.ReopenKey is not null && options.Method == XtlsMethod.Srp)
        {
            // A PSK-only TLS 1.3 re-open: no SRP user name or password is used.
            return ValidateSrpReopen(options);
        }

        return options.Method == XtlsMethod.X509 ? ValidateX509(options) : ValidateSrp(options);
    }

    private static byte[]? ValidateX509(TlsEngineOptions options)
    {
        if (options.Identity is null)
        {
            throw new ArgumentException("The x509 method needs an Identity.", nameof(options));
        }

        if (options.ReopenKey is not null && options.AllowLegacyCipherSuites)
        {
            throw new ArgumentException("A re-open key needs TLS 1.3; it cannot be combined with AllowLegacyCipherSuites.", nameof(options));
        }

        if (options.AllowLegacyCipherSuites && options.MinimumVersion != TlsProtocolVersion.Tls12)
        {
            throw new ArgumentException(
                "AllowLegacyCipherSuites needs MinimumVersion = Tls12: the legacy suites exist only up to TLS 1.2.",
                nameof(options));
        }

        return null;
    }

    private static byte[]? ValidateSrpReopen(TlsEngineOptions options)
    {
        if (options.ExpectedPeerFingerprint is not null || options.PeerCertificateCheck is not null)
        {
            throw new ArgumentException(
                "The srp method has no certificates: ExpectedPeerFingerprint and PeerCertificateCheck cannot apply.",
                nameof(options));
        }

        return null;
    }

    private static byte[] ValidateSrp(TlsEngineOptions options)
    {
        // A pin that cannot be checked must not be ignored silently: SRP has no certificates.
        if (options.ExpectedPeerFingerprint is not null || options.PeerCertificateCheck is not null)
        {
            throw new ArgumentException(
                "The srp method has no certificates: ExpectedPeerFingerprint and PeerCertificateCheck cannot apply.",
                nameof(options));
        }

        if (!Jid.TryParse(options.SrpUserName, out Jid? user))
        {
            throw new ArgumentException(
                "The srp method needs SrpUserName: the initiator's bare JID (e.g. user@domain).", nameof(options));
        }

        if (options.SrpPassword.IsEmpty)
        {
            throw new ArgumentException("The srp method needs a non-empty SrpPassword.", nameof(options));
        }

        if (options.SrpPassword.Length > MaxSrpPasswordChars)
        {
            throw new ArgumentException(
                $"SrpPassword is longer than {MaxSrpPasswordChars} characters.", nameof(options));
        }

        return Encoding.UTF8.GetBytes(user.Bare.ToString());
    }
}
