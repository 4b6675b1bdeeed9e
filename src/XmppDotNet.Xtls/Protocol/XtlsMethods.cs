namespace XmppDotNet.Xtls.Protocol;

/// <summary>Wire names of the TLS methods carried in the <c>method</c> attribute of the first <c>data</c>.</summary>
public static class XtlsMethods
{
    /// <summary>TLS authenticated with X.509 certificates.</summary>
    public const string X509 = "x509";

    /// <summary>TLS with a Secure Remote Password (RFC 5054).</summary>
    public const string Srp = "srp";

    /// <summary>TLS with OpenPGP keys (RFC 6091); named by the specification, not supported here.</summary>
    public const string OpenPgp = "openpgp";

    /// <summary>The longest method name accepted from the wire; longer names are refused unread.</summary>
    public const int MaxLength = 32;
}
