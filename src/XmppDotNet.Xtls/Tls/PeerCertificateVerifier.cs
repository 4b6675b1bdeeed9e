using System.Globalization;
using Org.BouncyCastle.Tls;
using XmppDotNet.Xtls.Identity;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// Checks the peer's certificate inside the handshake, so a rejection becomes an alert the peer receives:
/// presence, validity period and key usage (if enabled), the expected fingerprint, and the caller's check.
/// No CA chain is built: who the peer is follows from the fingerprint alone.
/// </summary>
internal sealed class PeerCertificateVerifier
{
    private const int DigitalSignatureBit = 0;

    private readonly HandshakeState _state;

    public PeerCertificateVerifier(HandshakeState state) => _state = state;

    private TlsEngineOptions Options => _state.Options;

    /// <summary>Verifies the certificate list the peer sent, or throws the alert to send.</summary>
    /// <param name="certificate">The peer's Certificate message.</param>
    /// <param name="tls13">Whether TLS 1.3 was negotiated (selects the alert for a missing client certificate).</param>
    public void Verify(Certificate? certificate, bool tls13)
    {
        if (certificate is null || certificate.IsEmpty)
        {
            throw Options.Role == TlsRole.Server
                ? _state.Reject(
                    TlsFailureReason.CertificateRequired,
                    tls13 ? AlertDescription.certificate_required : AlertDescription.handshake_failure,
                    "The client sent no certificate; the x509 method requires one.")
                : _state.Reject(
                    TlsFailureReason.PeerCertificateRejected,
                    AlertDescription.bad_certificate,
                    "The server sent no certificate.");
        }

        byte[] der = certificate.GetCertificateAt(0).GetEncoded();
        Fingerprint fingerprint = Fingerprint.Of(der);
        _state.RecordPeerCertificate(der, fingerprint);

        if (Options.CheckCertificateValidity)
        {
            CheckValidityAndUsage(der);
        }

        if (Options.ExpectedPeerFingerprint is { } expected && !expected.Equals(fingerprint))
        {
            throw _state.Reject(
                TlsFailureReason.PeerCertificateRejected,
                AlertDescription.bad_certificate,
                $"The peer's certificate has fingerprint {fingerprint}, not the expected {expected}.");
        }

        if (Options.PeerCertificateCheck is { } check && !RunCheck(check, fingerprint))
        {
            throw _state.Reject(
                TlsFailureReason.PeerCertificateRejected,
                AlertDescription.bad_certificate,
                $"The peer certificate check refused fingerprint {fingerprint}.");
        }
    }

    private void CheckValidityAndUsage(byte[] der)
    {
        X509Certificate parsed;
        try
        {
            parsed = new X509Certificate(der);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException)
        {
            throw _state.Reject(
                TlsFailureReason.PeerCertificateRejected, AlertDescription.bad_certificate,
                "The peer's certificate cannot be parsed: " + e.Message, e);
        }

        DateTime now = Options.TimeProvider.GetUtcNow().UtcDateTime;
        if (now < parsed.NotBefore || now > parsed.NotAfter)
        {
            string when = now < parsed.NotBefore ? "is not valid before" : "expired at";
            DateTime limit = now < parsed.NotBefore ? parsed.NotBefore : parsed.NotAfter;
            throw _state.Reject(
                TlsFailureReason.PeerCertificateRejected,
                AlertDescription.certificate_expired,
                string.Create(CultureInfo.InvariantCulture, $"The peer's certificate {when} {limit:u} (now {now:u})."));
        }

        bool[]? keyUsage = parsed.GetKeyUsage();
        if (keyUsage is not null && (keyUsage.Length <= DigitalSignatureBit || !keyUsage[DigitalSignatureBit]))
        {
            throw _state.Reject(
                TlsFailureReason.PeerCertificateRejected,
                AlertDescription.bad_certificate,
                "The peer's certificate key usage does not allow digitalSignature.");
        }
    }

    private bool RunCheck(Func<Fingerprint, bool> check, Fingerprint fingerprint)
    {
        try
        {
            return check(fingerprint);
        }
#pragma warning disable CA1031 // A failing check must reject the peer (fail closed), whatever it threw.
        catch (Exception e)
#pragma warning restore CA1031
        {
            throw _state.Reject(
                TlsFailureReason.PeerCertificateRejected,
                AlertDescription.bad_certificate,
                $"The peer certificate check threw {e.GetType().Name}: {e.Message}", e);
        }
    }
}
