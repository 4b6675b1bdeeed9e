using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The SRP server's view of the one user it knows: the tunnel's initiator. The verifier is computed from the
/// password at creation, and the password copy is cleared at once. Any other user name gets RFC 5054's
/// simulated parameters, so it fails exactly like a wrong password and cannot be told apart.
/// </summary>
internal sealed class SrpVerifierIdentityManager : TlsSrpIdentityManager
{
    // The simulated manager derives 20-byte salts (HMAC-SHA1); real salts have the same length.
    private const int SaltLength = 20;
    private const int SeedKeyLength = 32;

    private readonly byte[] _userName;
    private readonly byte[] _salt;
    private readonly BigInteger _verifier;
    private readonly TlsSrpConfig _config;
    private readonly SimulatedTlsSrpIdentityManager _simulated;

    private SrpVerifierIdentityManager(
        byte[] userName, byte[] salt, BigInteger verifier, TlsSrpConfig config, SimulatedTlsSrpIdentityManager simulated)
    {
        _userName = userName;
        _salt = salt;
        _verifier = verifier;
        _config = config;
        _simulated = simulated;
    }

    public static Srp6Group Group => Srp6StandardGroups.rfc5054_2048;

    public static TlsSrpConfig CreateConfig()
    {
        var config = new TlsSrpConfig();
        config.SetExplicitNG([Group.N, Group.G]);
        return config;
    }

    public static SrpVerifierIdentityManager Create(BcTlsCrypto crypto, byte[] userName, ReadOnlySpan<char> password)
    {
        TlsSrpConfig config = CreateConfig();
        byte[] salt = new byte[SaltLength];
        crypto.SecureRandom.NextBytes(salt);

        byte[] passwordBytes = new byte[Encoding.UTF8.GetByteCount(password)];
        BigInteger verifier;
        try
        {
            Encoding.UTF8.GetBytes(password, passwordBytes);
            verifier = crypto.CreateSrp6VerifierGenerator(config).GenerateVerifier(salt, userName, passwordBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }

        // A fresh seed per engine: unknown users get new salts each time, as known users do (fresh salt above).
        byte[] seedKey = new byte[SeedKeyLength];
        crypto.SecureRandom.NextBytes(seedKey);
        try
        {
            var simulated = SimulatedTlsSrpIdentityManager.GetRfc5054Default(crypto, Group, seedKey);
            return new SrpVerifierIdentityManager(userName, salt, verifier, config, simulated);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seedKey);
        }
    }

    public TlsSrpLoginParameters GetLoginParameters(byte[] identity)
    {
        // Computed for every user name, so known and unknown names take the same time.
        TlsSrpLoginParameters simulated = _simulated.GetLoginParameters(identity);
        return CryptographicOperations.FixedTimeEquals(identity, _userName)
            ? new TlsSrpLoginParameters(_userName, _config, _verifier, _salt)
            : simulated;
    }
}
