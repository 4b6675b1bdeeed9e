using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// A TLS engine failed: the connection is dead. Any alert the engine raised is queued as ciphertext; send it
/// to the peer (<see cref="TlsEngine.ReadCiphertext"/>) so it learns why.
/// </summary>
public sealed class TlsEngineException : Exception
{
    private const int InternalErrorCode = 80;

    /// <summary>Creates an exception for an internal error with a generic message.</summary>
    public TlsEngineException()
        : this("The TLS engine failed.")
    {
    }

    /// <summary>Creates an exception for an internal error.</summary>
    public TlsEngineException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception for an internal error with its cause.</summary>
    public TlsEngineException(string message, Exception? innerException)
        : this(message, "internal_error", InternalErrorCode, alertFromPeer: false, TlsFailureReason.InternalError,
            duringHandshake: false, peerFingerprint: null, innerException)
    {
    }

    internal TlsEngineException(
        string message,
        string alert,
        int alertCode,
        bool alertFromPeer,
        TlsFailureReason reason,
        bool duringHandshake,
        Fingerprint? peerFingerprint,
        Exception? innerException)
        : base(message, innerException)
    {
        Alert = alert;
        AlertCode = alertCode;
        AlertFromPeer = alertFromPeer;
        Reason = reason;
        DuringHandshake = duringHandshake;
        PeerFingerprint = peerFingerprint;
    }

    /// <summary>The TLS alert's name as in the RFCs, e.g. <c>bad_certificate</c> or <c>bad_record_mac</c>.</summary>
    public string Alert { get; }

    /// <summary>The TLS alert's numeric code, e.g. 42 for bad_certificate.</summary>
    public int AlertCode { get; }

    /// <summary>
    /// <c>true</c> if the peer sent the alert (it detected the problem); <c>false</c> if this engine raised it
    /// (and queued it for the peer).
    /// </summary>
    public bool AlertFromPeer { get; }

    /// <summary>What went wrong, as far as the alert and the engine's own checks tell.</summary>
    public TlsFailureReason Reason { get; }

    /// <summary>Whether the failure happened before this end considered the handshake complete.</summary>
    public bool DuringHandshake { get; }

    /// <summary>The fingerprint of the certificate the peer presented, if it got that far; useful to report a key change.</summary>
    public Fingerprint? PeerFingerprint { get; }

    /// <summary>A new exception with the same details, for reporting a failure again on later calls.</summary>
    internal TlsEngineException Repeat() =>
        new("The TLS engine has already failed: " + Message, Alert, AlertCode, AlertFromPeer, Reason,
            DuringHandshake, PeerFingerprint, this);
}
