using Org.BouncyCastle.Tls;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// What the BouncyCastle peer callbacks learn during a connection, shared with the <see cref="TlsEngine"/>:
/// completion, the peer's certificate, alerts received and why this end rejected something.
/// </summary>
internal sealed class HandshakeState
{
    private Action? _onHandshakeEnded;

    public HandshakeState(TlsEngineOptions options) => Options = options;

    public TlsEngineOptions Options { get; }

    public TlsSessionInfo? SessionInfo { get; private set; }

    public bool IsComplete => SessionInfo is not null;

    public bool PeerSentCloseNotify { get; private set; }

    /// <summary>The peer sent close_notify or user_canceled before the handshake completed.</summary>
    public bool PeerClosedDuringHandshake { get; private set; }

    public Fingerprint? PeerFingerprint { get; private set; }

    public byte[]? PeerCertificateDer { get; private set; }

    /// <summary>Whether the handshake authenticated with the re-open PSK instead of certificates or SRP.</summary>
    public bool PskSelected { get; private set; }

    /// <summary>Set when this end rejected the peer for a reason the alert alone does not tell.</summary>
    public (TlsFailureReason Reason, string Detail)? Rejection { get; private set; }

    /// <summary>Registers work to do once the handshake has ended, either way (e.g. clearing a password).</summary>
    public void OnHandshakeEnded(Action action) => _onHandshakeEnded += action;

    /// <summary>Records BouncyCastle's report of the PSK the handshake selected (<c>null</c>: none).</summary>
    public void PskNotified(TlsPsk? selected) => PskSelected = selected is not null;

    public void RecordPeerCertificate(byte[] der, Fingerprint fingerprint)
    {
        PeerCertificateDer = der;
        PeerFingerprint = fingerprint;
    }

    /// <summary>Records why this end rejects the peer and returns the alert to throw, which BouncyCastle sends.</summary>
    public TlsFatalAlert Reject(TlsFailureReason reason, short alertDescription, string detail, Exception? cause = null)
    {
        Rejection = (reason, detail);
        return new TlsFatalAlert(alertDescription, detail, cause);
    }

    private byte[]? _exported;

    public void Complete(TlsContext context)
    {
        // BouncyCastle exports only from inside NotifyHandshakeComplete.
        if (Options.Export is { } export)
        {
            try
            {
                _exported = context.ExportKeyingMaterial(export.Label, export.Context.ToArray(), export.Length);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
            {
                // A connection whose exporter is unavailable (a legacy TLS 1.2 suite) only goes without re-open material.
                _exported = null;
            }
        }

        SecurityParameters parameters = context.SecurityParameters;
        Fingerprint? local = Options.Method == XtlsMethod.X509 ? Options.Identity?.Fingerprint : null;
        SessionInfo = new TlsSessionInfo(
            Options.Method,
            CipherSuitePolicy.VersionName(parameters.NegotiatedVersion),
            CipherSuitePolicy.SuiteName(parameters.CipherSuite),
            PeerFingerprint,
            PeerCertificateDer is null ? null : (byte[])PeerCertificateDer.Clone(),
            local)
        {
            Reopened = PskSelected,
        };
        EndHandshake();
    }

    public byte[]? TakeExported()
    {
        byte[]? exported = _exported;
        _exported = null;
        return exported;
    }

    public void ClearExported()
    {
        if (_exported is not null)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_exported);
            _exported = null;
        }
    }

    public void AlertReceived(short level, short description)
    {
        if (level != AlertLevel.warning)
        {
            return;
        }

        if (description == AlertDescription.close_notify && IsComplete)
        {
            PeerSentCloseNotify = true;
        }

        if (!IsComplete && description is AlertDescription.close_notify or AlertDescription.user_canceled)
        {
            PeerClosedDuringHandshake = true;
        }
    }

    public void EndHandshake()
    {
        Action? action = _onHandshakeEnded;
        _onHandshakeEnded = null;
        action?.Invoke();
    }
}
