namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>Registered names of the SASL mechanisms this library implements.</summary>
public static class SaslMechanismNames
{
    /// <summary>SCRAM with SHA-256 (RFC 7677).</summary>
    public const string ScramSha256 = "SCRAM-SHA-256";

    /// <summary>SCRAM with SHA-1 (RFC 5802).</summary>
    public const string ScramSha1 = "SCRAM-SHA-1";

    /// <summary>PLAIN (RFC 4616): the password in clear, acceptable only inside TLS.</summary>
    public const string Plain = "PLAIN";
}
