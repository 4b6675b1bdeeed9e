using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppDotNet.Xtls.Host.Client;

/// <summary>Ready-made validators for the server's TLS certificate.</summary>
public static class ServerCertificateValidation
{
    /// <summary>The system's validation: a chain to a trusted root and a matching name.</summary>
    public static RemoteCertificateValidationCallback System { get; } = static (_, _, _, errors) => errors == SslPolicyErrors.None;

    /// <summary>
    /// Accepts exactly the given certificate (compared by SHA-256 of its DER encoding, in constant
    /// time) and nothing else; for self-signed test and private servers.
    /// </summary>
    public static RemoteCertificateValidationCallback Pinned(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        byte[] expected = SHA256.HashData(certificate.RawData);
        return (_, presented, _, _) =>
        {
            if (presented is null)
            {
                return false;
            }

            byte[] actual = SHA256.HashData(presented.GetRawCertData());
            return CryptographicOperations.FixedTimeEquals(expected, actual);
        };
    }
}
