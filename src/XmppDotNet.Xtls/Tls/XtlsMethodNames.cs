namespace XmppDotNet.Xtls.Tls;

/// <summary>The wire names of the XTLS methods, as carried in the <c>method</c> attribute.</summary>
public static class XtlsMethodNames
{
    /// <summary>The wire name of <see cref="XtlsMethod.X509"/>.</summary>
    public const string X509 = "x509";

    /// <summary>The wire name of <see cref="XtlsMethod.Srp"/>.</summary>
    public const string Srp = "srp";

    /// <summary>The wire name of the OpenPGP method of the 2008 text, which is recognised but not supported.</summary>
    public const string OpenPgp = "openpgp";

    /// <summary>The wire name of a method.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is not a defined value.</exception>
    public static string ToWire(XtlsMethod method) => method switch
    {
        XtlsMethod.X509 => X509,
        XtlsMethod.Srp => Srp,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown XTLS method."),
    };

    /// <summary>
    /// Parses a wire name (exact, case-sensitive). Returns <c>false</c> for <c>null</c>, unknown names and
    /// <see cref="OpenPgp"/>, which is not supported; compare with <see cref="OpenPgp"/> to tell that case apart.
    /// </summary>
    public static bool TryParse(string? wire, out XtlsMethod method)
    {
        switch (wire)
        {
            case X509:
                method = XtlsMethod.X509;
                return true;
            case Srp:
                method = XtlsMethod.Srp;
                return true;
            default:
                method = default;
                return false;
        }
    }
}
