using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;
using X509V3CertificateGenerator = Org.BouncyCastle.X509.X509V3CertificateGenerator;

namespace XmppDotNet.Xtls.Identity;

/// <summary>
/// The long-term identity an XTLS endpoint presents in the <c>x509</c> method: a self-signed certificate and
/// its private key. Peers recognise it by its SHA-256 <see cref="Fingerprint"/>, not by any CA.
/// </summary>
/// <remarks>
/// Keep an identity for as long as possible: a new one means a new fingerprint, which every contact that
/// pinned or trusted the old one will see as a changed key. <see cref="LoadOrCreate"/> is the usual way to
/// get one. Instances are immutable and safe to share between threads and tunnels.
/// </remarks>
public sealed class XtlsIdentity
{
    /// <summary>The validity of a generated certificate when none is given: ten years.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(3650);

    /// <summary>The common name of a generated certificate when none is given.</summary>
    public const string DefaultCommonName = "XTLS endpoint";

    /// <summary>How far a generated certificate's start is set back, so peers with a slow clock accept it.</summary>
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);

    private const int MaxPemFileBytes = 1 << 20;

    private readonly byte[] _certificateDer;

    private XtlsIdentity(X509Certificate certificate, AsymmetricKeyParameter privateKey, XtlsKeyType keyType)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        KeyType = keyType;
        _certificateDer = certificate.GetEncoded();
        Fingerprint = Fingerprint.Of(_certificateDer);
    }

    /// <summary>A copy of the DER-encoded certificate, as it is sent in the TLS handshake.</summary>
    public byte[] CertificateDer => (byte[])_certificateDer.Clone();

    /// <summary>The SHA-256 fingerprint of <see cref="CertificateDer"/>: what a peer pins or compares.</summary>
    public Fingerprint Fingerprint { get; }

    /// <summary>The key algorithm.</summary>
    public XtlsKeyType KeyType { get; }

    /// <summary>The start of the certificate's validity period.</summary>
    public DateTimeOffset NotBefore => new(DateTime.SpecifyKind(Certificate.NotBefore, DateTimeKind.Utc));

    /// <summary>The end of the certificate's validity period; peers that check validity reject it afterwards.</summary>
    public DateTimeOffset NotAfter => new(DateTime.SpecifyKind(Certificate.NotAfter, DateTimeKind.Utc));

    /// <summary>The certificate's subject, e.g. <c>CN=XTLS endpoint</c>.</summary>
    public string Subject => Certificate.SubjectDN.ToString();

    /// <summary>The certificate alone in PEM form (no private key), e.g. to show or export it.</summary>
    public string CertificatePem => new(PemEncoding.Write("CERTIFICATE", _certificateDer));

    internal X509Certificate Certificate { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    internal ReadOnlySpan<byte> CertificateDerSpan => _certificateDer;

    /// <summary>
    /// Generates a new key and a self-signed certificate for it (BouncyCastle <c>X509V3CertificateGenerator</c>):
    /// random 127-bit serial, key usage digitalSignature (plus keyEncipherment for RSA), not a CA.
    /// </summary>
    /// <param name="keyType">The key algorithm; P-256 by default. RSA takes about half a second.</param>
    /// <param name="commonName">The subject common name; <see cref="DefaultCommonName"/> if <c>null</c>.</param>
    /// <param name="validity">How long the certificate is valid from now; <see cref="DefaultValidity"/> if <c>null</c>.</param>
    /// <param name="time">The clock that defines "now"; the system clock if <c>null</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validity"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="commonName"/> is empty.</exception>
    public static XtlsIdentity Generate(
        XtlsKeyType keyType = XtlsKeyType.EcdsaP256,
        string? commonName = null,
        TimeSpan? validity = null,
        TimeProvider? time = null)
    {
        TimeSpan lifetime = validity ?? DefaultValidity;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(validity));
        if (commonName is not null && commonName.Trim().Length == 0)
        {
            throw new ArgumentException("The common name cannot be empty.", nameof(commonName));
        }

        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        var random = new SecureRandom();
        AsymmetricCipherKeyPair pair = IdentityKeys.Generate(keyType, random);

        var name = new X509Name(
            new List<DerObjectIdentifier> { X509Name.CN },
            new List<string> { commonName ?? DefaultCommonName });
        int usage = keyType == XtlsKeyType.Rsa
            ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment
            : KeyUsage.DigitalSignature;

        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(RandomSerial(random));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore((now - ClockSkewAllowance).UtcDateTime);
        generator.SetNotAfter((now + lifetime).UtcDateTime);
        generator.SetPublicKey(pair.Public);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));

        var signatureFactory = new Asn1SignatureFactory(
            IdentityKeys.CertificateSignatureAlgorithm(keyType), pair.Private, random);
        return new XtlsIdentity(generator.Generate(signatureFactory), pair.Private, keyType);
    }

    /// <summary>
    /// Loads an identity from a PEM certificate and a PEM private key (PKCS#8 <c>PRIVATE KEY</c>; SEC 1
    /// <c>EC PRIVATE KEY</c> and PKCS#1 <c>RSA PRIVATE KEY</c> are accepted too). Both arguments may be the
    /// same text holding both blocks.
    /// </summary>
    /// <exception cref="XtlsIdentityException">A block is missing, malformed or encrypted, there is more than one
    /// certificate or key, the key type is not supported, or the key does not belong to the certificate.</exception>
    public static XtlsIdentity LoadPem(string certificatePem, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);

        X509Certificate certificate = IdentityPem.ReadCertificate(certificatePem);
        AsymmetricKeyParameter privateKey = IdentityPem.ReadPrivateKey(privateKeyPem);
        return FromParts(certificate, privateKey);
    }

    /// <summary>Loads an identity from one PEM file holding the certificate and the private key.</summary>
    /// <exception cref="XtlsIdentityException">The content is not a valid identity (see <see cref="LoadPem"/>).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static XtlsIdentity LoadPemFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxPemFileBytes)
        {
            throw new XtlsIdentityException($"The identity file '{path}' is larger than {MaxPemFileBytes} bytes.");
        }

        string text = File.ReadAllText(path, Encoding.UTF8);
        try
        {
            return LoadPem(text, text);
        }
        catch (XtlsIdentityException e)
        {
            throw new XtlsIdentityException($"The identity file '{path}' is not valid: {e.Message}", e);
        }
    }

    /// <summary>Loads an identity from PKCS#12 (PFX) data holding one private key and its certificate.</summary>
    /// <param name="pfx">The PKCS#12 data.</param>
    /// <param name="password">The password protecting it (may be empty); not kept.</param>
    /// <exception cref="XtlsIdentityException">The data is malformed, the password is wrong, or there is not
    /// exactly one key entry with a certificate.</exception>
    public static XtlsIdentity LoadPkcs12(byte[] pfx, ReadOnlySpan<char> password)
    {
        ArgumentNullException.ThrowIfNull(pfx);
        char[] passwordCopy = password.ToArray();
        try
        {
            var store = new Pkcs12StoreBuilder().Build();
            using (var stream = new MemoryStream(pfx, writable: false))
            {
                store.Load(stream, passwordCopy);
            }

            var keyAliases = store.Aliases.Where(store.IsKeyEntry).ToList();
            if (keyAliases.Count != 1)
            {
                throw new XtlsIdentityException(
                    $"The PKCS#12 data holds {keyAliases.Count} private keys; an identity needs exactly one.");
            }

            string alias = keyAliases[0];
            X509Certificate? certificate = store.GetCertificate(alias)?.Certificate
                ?? store.GetCertificateChain(alias)?.FirstOrDefault()?.Certificate;
            if (certificate is null)
            {
                throw new XtlsIdentityException("The PKCS#12 key entry has no certificate.");
            }

            return FromParts(certificate, store.GetKey(alias).Key);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException
            or InvalidOperationException or CryptoException or PkcsException)
        {
            throw new XtlsIdentityException(
                "The PKCS#12 data could not be read (wrong password or corrupt data).", e);
        }
        finally
        {
            Array.Clear(passwordCopy);
        }
    }

    /// <summary>
    /// Loads the identity stored at <paramref name="path"/>, or, if there is no file, generates one and saves
    /// it there (mode 0600 on Unix; missing directories are created with mode 0700).
    /// </summary>
    /// <param name="path">The PEM file.</param>
    /// <param name="keyType">The key algorithm of a new identity; an existing file keeps its own.</param>
    /// <exception cref="XtlsIdentityException">The existing file is not a valid identity.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public static XtlsIdentity LoadOrCreate(string path, XtlsKeyType keyType = XtlsKeyType.EcdsaP256)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return LoadPemFile(path);
        }

        XtlsIdentity identity = Generate(keyType);
        try
        {
            identity.Save(path, overwrite: false);
            return identity;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use that one, so both agree on one identity.
            return LoadPemFile(path);
        }
    }

    /// <summary>Saves certificate and PKCS#8 private key in one PEM file, atomically, mode 0600 on Unix.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SavePemFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Save(path, overwrite: true);
    }

    private void Save(string path, bool overwrite)
    {
        byte[] content = Encoding.UTF8.GetBytes(IdentityPem.Write(this));
        try
        {
            PrivateFile.WriteAtomically(path, content, overwrite);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static XtlsIdentity FromParts(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        XtlsKeyType keyType = IdentityKeys.Detect(privateKey);
        IdentityKeys.EnsurePair(privateKey, certificate.GetPublicKey(), keyType);
        return new XtlsIdentity(certificate, privateKey, keyType);
    }

    private static BigInteger RandomSerial(SecureRandom random)
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);

        // Positive (RFC 5280) and of full length, so serials never collide by being short.
        bytes[0] = (byte)((bytes[0] & 0x7F) | 0x40);
        return new BigInteger(1, bytes);
    }
}
