using Org.BouncyCastle.Tls;

namespace XmppDotNet.Xtls.Tls;

/// <summary>Turns what BouncyCastle threw into a <see cref="TlsEngineException"/> with a typed reason.</summary>
internal static class FailureClassifier
{
    public static TlsEngineException Classify(Exception error, HandshakeState state)
    {
        bool duringHandshake = !state.IsComplete;
        (short alert, bool fromPeer) = error switch
        {
            TlsFatalAlertReceived received => (received.AlertDescription, true),
            TlsFatalAlert raised => (raised.AlertDescription, false),
            _ => (AlertDescription.internal_error, false),
        };

        TlsFailureReason reason;
        string? detail = null;
        if (!fromPeer && state.Rejection is { } rejection)
        {
            (reason, detail) = rejection;
        }
        else if (duringHandshake && state.PeerClosedDuringHandshake)
        {
            reason = TlsFailureReason.ClosedDuringHandshake;
        }
        else
        {
            reason = ReasonFor(alert, fromPeer, duringHandshake && state.Options.Method == XtlsMethod.Srp);
        }

        string name = AlertDescription.GetName(alert);
        string source = fromPeer ? "sent by the peer" : "raised here";
        string phase = duringHandshake ? "handshake" : "connection";
        string message = $"TLS {phase} failed: {Describe(reason)} ({name}, {source}).";
        if (detail is not null)
        {
            message += " " + detail;
        }
        else if (!fromPeer && !string.IsNullOrEmpty(error.Message))
        {
            message += " " + error.Message;
        }

        return new TlsEngineException(
            message, name, alert, fromPeer, reason, duringHandshake, state.PeerFingerprint, error);
    }

    private static TlsFailureReason ReasonFor(short alert, bool fromPeer, bool srpHandshake)
    {
        // During an SRP handshake a wrong password (or unknown user) shows up as a MAC or Finished failure.
        if (srpHandshake && alert is AlertDescription.bad_record_mac or AlertDescription.decrypt_error
            or AlertDescription.unknown_psk_identity)
        {
            return TlsFailureReason.SrpAuthenticationFailed;
        }

        switch (alert)
        {
            case AlertDescription.bad_record_mac:
            case AlertDescription.decryption_failed:
                return TlsFailureReason.BadRecordMac;
            case AlertDescription.decrypt_error:
                return TlsFailureReason.DecryptError;
            case AlertDescription.certificate_required:
                return TlsFailureReason.CertificateRequired;
            case AlertDescription.bad_certificate:
            case AlertDescription.unsupported_certificate:
            case AlertDescription.certificate_revoked:
            case AlertDescription.certificate_expired:
            case AlertDescription.certificate_unknown:
            case AlertDescription.unknown_ca:
            case AlertDescription.access_denied:
                return fromPeer ? TlsFailureReason.CertificateRejectedByPeer : TlsFailureReason.PeerCertificateRejected;
            case AlertDescription.protocol_version:
                return TlsFailureReason.ProtocolVersion;
            case AlertDescription.handshake_failure:
            case AlertDescription.insufficient_security:
            case AlertDescription.inappropriate_fallback:
            case AlertDescription.unknown_psk_identity:
            case AlertDescription.no_application_protocol:
                return TlsFailureReason.HandshakeFailure;
            case AlertDescription.unexpected_message:
            case AlertDescription.record_overflow:
            case AlertDescription.decode_error:
            case AlertDescription.illegal_parameter:
            case AlertDescription.missing_extension:
            case AlertDescription.unsupported_extension:
            case AlertDescription.decompression_failure:
                return TlsFailureReason.ProtocolError;
            default:
                return fromPeer ? TlsFailureReason.PeerAlert : TlsFailureReason.InternalError;
        }
    }

    private static string Describe(TlsFailureReason reason) => reason switch
    {
        TlsFailureReason.PeerCertificateRejected => "the peer's certificate was rejected",
        TlsFailureReason.CertificateRejectedByPeer => "the peer rejected this end's certificate",
        TlsFailureReason.CertificateRequired => "a client certificate is required",
        TlsFailureReason.SrpAuthenticationFailed => "SRP authentication failed (wrong password or unknown user name)",
        TlsFailureReason.BadRecordMac => "a record failed its integrity check",
        TlsFailureReason.DecryptError => "a handshake signature or Finished check failed",
        TlsFailureReason.HandshakeFailure => "no acceptable security parameters in common",
        TlsFailureReason.ProtocolVersion => "no protocol version in common",
        TlsFailureReason.ProtocolError => "malformed or unexpected protocol data",
        TlsFailureReason.ClosedDuringHandshake => "the peer closed before the handshake completed",
        TlsFailureReason.PeerAlert => "the peer reported an error",
        _ => "internal error",
    };
}
