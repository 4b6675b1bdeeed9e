using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>Identities shared by the tests (key generation is the slow part of a handshake test).</summary>
internal static class TestIdentities
{
    private static readonly Lazy<XtlsIdentity> ClientP256 = new(() => XtlsIdentity.Generate(XtlsKeyType.EcdsaP256, "client"));
    private static readonly Lazy<XtlsIdentity> ServerP256 = new(() => XtlsIdentity.Generate(XtlsKeyType.EcdsaP256, "server"));
    private static readonly Lazy<XtlsIdentity> ClientEd25519 = new(() => XtlsIdentity.Generate(XtlsKeyType.Ed25519, "client"));
    private static readonly Lazy<XtlsIdentity> ServerEd25519 = new(() => XtlsIdentity.Generate(XtlsKeyType.Ed25519, "server"));
    private static readonly Lazy<XtlsIdentity> ServerRsa = new(() => XtlsIdentity.Generate(XtlsKeyType.Rsa, "legacy server"));

    public static XtlsIdentity Client(XtlsKeyType keyType = XtlsKeyType.EcdsaP256) => keyType switch
    {
        XtlsKeyType.EcdsaP256 => ClientP256.Value,
        XtlsKeyType.Ed25519 => ClientEd25519.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };

    public static XtlsIdentity Server(XtlsKeyType keyType = XtlsKeyType.EcdsaP256) => keyType switch
    {
        XtlsKeyType.EcdsaP256 => ServerP256.Value,
        XtlsKeyType.Ed25519 => ServerEd25519.Value,
        XtlsKeyType.Rsa => ServerRsa.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };
}
