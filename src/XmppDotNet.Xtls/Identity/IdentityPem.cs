using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Security.Certificates;
using Org.BouncyCastle.X509;

namespace XmppDotNet.Xtls.Identity;

/// <summary>Reads and writes the PEM blocks of an identity: one certificate and one private key.</summary>
internal static class IdentityPem
{
    private const string CertificateLabel = "CERTIFICATE";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string Sec1Label = "EC PRIVATE KEY";
    private const string Pkcs1Label = "RSA PRIVATE KEY";
    private const string EncryptedPkcs8Label = "ENCRYPTED PRIVATE KEY";

    /// <summary>Upper bound on PEM input: an identity is a few kilobytes.</summary>
    private const int MaxPemChars = 1 << 20;

    public static X509Certificate ReadCertificate(string pem)
    {
        var certificates = ReadBlocks(pem).Where(b => b.Label == CertificateLabel).ToList();
        if (certificates.Count == 0)
        {
            throw new XtlsIdentityException("No PEM CERTIFICATE block was found.");
        }

        if (certificates.Count > 1)
        {
            throw new XtlsIdentityException(
                $"Found {certificates.Count} certificates; an XTLS identity is a single self-signed certificate.");
        }

        try
        {
            return new X509Certificate(certificates[0].Data);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or CertificateException)
        {
            throw new XtlsIdentityException("The CERTIFICATE block is not a valid X.509 certificate.", e);
        }
    }

    public static AsymmetricKeyParameter ReadPrivateKey(string pem)
    {
        var blocks = ReadBlocks(pem);
        try
        {
            if (blocks.Any(b => b.Label == EncryptedPkcs8Label))
            {
                throw new XtlsIdentityException(
                    "Encrypted PEM private keys are not supported; decrypt the key or use PKCS#12.");
            }

            var keys = blocks.Where(b => b.Label is Pkcs8Label or Sec1Label or Pkcs1Label).ToList();
            if (keys.Count != 1)
            {
                throw new XtlsIdentityException(keys.Count == 0
                    ? "No PEM PRIVATE KEY block was found."
                    : $"Found {keys.Count} private keys; an identity has exactly one.");
            }

            return DecodeKey(keys[0].Label, keys[0].Data);
        }
        finally
        {
            foreach (var block in blocks)
            {
                CryptographicOperations.ZeroMemory(block.Data);
            }
        }
    }

    public static string Write(XtlsIdentity identity)
    {
        byte[] pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(identity.PrivateKey).GetEncoded();
        try
        {
            var text = new StringBuilder();
            text.Append(PemEncoding.Write(CertificateLabel, identity.CertificateDerSpan)).Append('\n');
            text.Append(PemEncoding.Write(Pkcs8Label, pkcs8)).Append('\n');
            return text.ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static AsymmetricKeyParameter DecodeKey(string label, byte[] der)
    {
        byte[]? converted = null;
        try
        {
            // SEC 1 and PKCS#1 keys are converted to PKCS#8, the one form BouncyCastle's factory reads.
            if (label == Sec1Label)
            {
                using var ec = ECDsa.Create();
                ec.ImportECPrivateKey(der, out _);
                converted = ec.ExportPkcs8PrivateKey();
            }
            else if (label == Pkcs1Label)
            {
                using var rsa = RSA.Create();
                rsa.ImportRSAPrivateKey(der, out _);
                converted = rsa.ExportPkcs8PrivateKey();
            }

            return PrivateKeyFactory.CreateKey(converted ?? der);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException
            or CryptographicException or SecurityUtilityException or InvalidOperationException)
        {
            throw new XtlsIdentityException($"The {label} block is not a valid private key.", e);
        }
        finally
        {
            if (converted is not null)
            {
                CryptographicOperations.ZeroMemory(converted);
            }
        }
    }

    private static List<(string Label, byte[] Data)> ReadBlocks(string pem)
    {
        if (pem.Length > MaxPemChars)
        {
            throw new XtlsIdentityException($"The PEM text is longer than {MaxPemChars} characters.");
        }

        var blocks = new List<(string, byte[])>();
        ReadOnlySpan<char> rest = pem;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            string label = rest[fields.Label].ToString();
            byte[] data = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], data, out int written) || written != data.Length)
            {
                throw new XtlsIdentityException($"The PEM block '{label}' has invalid Base64 content.");
            }

            blocks.Add((label, data));
            rest = rest[fields.Location.End..];
        }

        return blocks;
    }
}
