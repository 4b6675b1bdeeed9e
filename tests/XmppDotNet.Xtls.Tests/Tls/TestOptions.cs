using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

internal static class TestOptions
{
    public const string SrpUser = "alice@example.org";
    public const string SrpPassword = "correct horse battery staple";

    public static TlsEngineOptions X509(
        TlsRole role,
        XtlsIdentity identity,
        Fingerprint? expected = null,
        Func<Fingerprint, bool>? check = null,
        TimeProvider? time = null,
        bool checkValidity = true,
        TlsProtocolVersion minimumVersion = TlsProtocolVersion.Tls13,
        bool legacy = false) =>
        new()
        {
            Role = role,
            Method = XtlsMethod.X509,
            Identity = identity,
            ExpectedPeerFingerprint = expected,
            PeerCertificateCheck = check,
            TimeProvider = time ?? TimeProvider.System,
            CheckCertificateValidity = checkValidity,
            MinimumVersion = minimumVersion,
            AllowLegacyCipherSuites = legacy,
        };

    public static TlsEngineOptions Srp(TlsRole role, string user = SrpUser, string password = SrpPassword) =>
        new()
        {
            Role = role,
            Method = XtlsMethod.Srp,
            SrpUserName = user,
            SrpPassword = password.ToCharArray(),
        };
}
