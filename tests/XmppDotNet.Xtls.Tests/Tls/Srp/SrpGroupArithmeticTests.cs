using System.Text;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tls.Srp;
using Srp6StandardGroups = Org.BouncyCastle.Tls.Crypto.Srp6StandardGroups;

namespace XmppDotNet.Xtls.Tests.Tls.Srp;

public class SrpGroupArithmeticTests
{
    private static readonly Srp6Group Group = Srp6StandardGroups.rfc5054_2048;
    private static readonly byte[] User = Encoding.UTF8.GetBytes(TestOptions.SrpUser);
    private static readonly byte[] Password = Encoding.UTF8.GetBytes(TestOptions.SrpPassword);

    [Test]
    public void Only_the_rfc5054_2048_bit_group_gets_the_fast_arithmetic()
    {
        Assert.Multiple(() =>
        {
            SrpGroupArithmetic? first = SrpGroupArithmetic.For(Group.N, Group.G);
            Assert.That(first, Is.Not.Null);
            Assert.That(SrpGroupArithmetic.For(new BigInteger(Group.N.ToByteArray()), BigInteger.Two), Is.SameAs(first), "one table per process");
            Assert.That(SrpGroupArithmetic.For(Group.N, BigInteger.Five), Is.Null);
            Assert.That(SrpGroupArithmetic.For(Srp6StandardGroups.rfc5054_1024.N, Srp6StandardGroups.rfc5054_1024.G), Is.Null);
        });
    }

    [Test]
    public void Powers_of_g_agree_with_bouncycastle_within_and_beyond_the_table()
    {
        SrpGroupArithmetic arithmetic = SrpGroupArithmetic.For(Group.N, Group.G)!;
        var random = new Random(5054);
        foreach (int bits in new[] { 160, 256, 257, 321 })
        {
            foreach (BigInteger exponent in ArithmeticCases.Exponents(bits, random))
            {
                Assert.That(arithmetic.PowG(exponent), Is.EqualTo(Group.G.ModPow(exponent, Group.N)), $"g^{exponent}");
            }
        }
    }

    [Test]
    public void The_shared_table_serves_many_threads_at_once()
    {
        SrpGroupArithmetic arithmetic = SrpGroupArithmetic.For(Group.N, Group.G)!;
        BigInteger[] exponents = [.. Enumerable.Range(0, 16).Select(i => new BigInteger(256, new Random(i)))];
        BigInteger[] expected = [.. exponents.Select(e => Group.G.ModPow(e, Group.N))];
        var results = new BigInteger[exponents.Length];

        Parallel.For(0, exponents.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = arithmetic.PowG(exponents[i]));

        Assert.That(results, Is.EqualTo(expected));
    }

    [Test]
    public void The_verifier_is_bouncycastles_verifier()
    {
        var crypto = new XtlsCrypto(new SecureRandom());
        TlsSrp6VerifierGenerator fast = crypto.CreateSrp6VerifierGenerator(SrpVerifierIdentityManager.CreateConfig());
        var stock = new Srp6VerifierGenerator();
        stock.Init(Group.N, Group.G, new Sha1Digest());
        for (int i = 0; i < 8; i++)
        {
            byte[] salt = Salt(i);

            Assert.That(fast.GenerateVerifier(salt, User, Password), Is.EqualTo(stock.GenerateVerifier(salt, User, Password)));
        }
    }

    [Test]
    public void Unknown_users_get_the_simulated_parameters_bouncycastle_would_give_them()
    {
        byte[] seedKey = new byte[32];
        new Random(32).NextBytes(seedKey);
        var fast = SimulatedTlsSrpIdentityManager.GetRfc5054Default(new XtlsCrypto(new SecureRandom()), Group, seedKey);
        var stock = SimulatedTlsSrpIdentityManager.GetRfc5054Default(new BcTlsCrypto(new SecureRandom()), Group, seedKey);
        foreach (string name in new[] { "mallory@example.org", "eve@example.net", string.Empty })
        {
            byte[] identity = Encoding.UTF8.GetBytes(name);
            TlsSrpLoginParameters expected = stock.GetLoginParameters(identity);
            TlsSrpLoginParameters actual = fast.GetLoginParameters(identity);

            Assert.Multiple(() =>
            {
                Assert.That(actual.Verifier, Is.EqualTo(expected.Verifier), name);
                Assert.That(actual.Salt, Is.EqualTo(expected.Salt), name);
            });
        }
    }

    [Test]
    public void Another_group_keeps_bouncycastles_verifier_generator()
    {
        var crypto = new XtlsCrypto(new SecureRandom());
        var config = new TlsSrpConfig();
        config.SetExplicitNG([Srp6StandardGroups.rfc5054_1024.N, Srp6StandardGroups.rfc5054_1024.G]);

        Assert.That(crypto.CreateSrp6VerifierGenerator(config), Is.Not.InstanceOf<CombSrp6VerifierGenerator>());
    }

    [TestCase(2048)]
    [TestCase(1024)]
    public void The_fast_client_and_server_agree_with_bouncycastles_stock_server_and_client(int groupBits)
    {
        Srp6Group group = groupBits == 2048 ? Group : Srp6StandardGroups.rfc5054_1024;
        var crypto = new XtlsCrypto(new SecureRandom());
        var config = new TlsSrpConfig();
        config.SetExplicitNG([group.N, group.G]);
        for (int i = 0; i < 4; i++)
        {
            byte[] salt = Salt(i);
            var generator = new Srp6VerifierGenerator();
            generator.Init(group.N, group.G, new Sha1Digest());
            BigInteger verifier = generator.GenerateVerifier(salt, User, Password);

            // Fast client, stock server.
            TlsSrp6Client client = crypto.CreateSrp6Client(config);
            var stockServer = new Srp6Server();
            stockServer.Init(group.N, group.G, verifier, new Sha1Digest(), new SecureRandom());
            BigInteger a = client.GenerateClientCredentials(salt, User, Password);
            BigInteger b = stockServer.GenerateServerCredentials();
            Assert.That(client.CalculateSecret(b), Is.EqualTo(stockServer.CalculateSecret(a)), "fast client, stock server");

            // Stock client, fast server.
            var stockClient = new Srp6Client();
            stockClient.Init(group.N, group.G, new Sha1Digest(), new SecureRandom());
            TlsSrp6Server server = crypto.CreateSrp6Server(config, verifier);
            a = stockClient.GenerateClientCredentials(salt, User, Password);
            b = server.GenerateServerCredentials();
            Assert.That(server.CalculateSecret(a), Is.EqualTo(stockClient.CalculateSecret(b)), "stock client, fast server");
        }
    }

    private static byte[] Salt(int seed)
    {
        byte[] salt = new byte[20];
        new Random(seed).NextBytes(salt);
        return salt;
    }
}
