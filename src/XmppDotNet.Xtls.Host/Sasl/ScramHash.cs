namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The hash function of a SCRAM mechanism.</summary>
public enum ScramHash
{
    /// <summary>SCRAM-SHA-1 (RFC 5802).</summary>
    Sha1,

    /// <summary>SCRAM-SHA-256 (RFC 7677).</summary>
    Sha256,
}
