using System.Text;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

public class SrpPrivateValueTests
{
    private const int Draws = 32;
    private static readonly byte[] User = Encoding.UTF8.GetBytes(TestOptions.SrpUser);
    private static readonly byte[] Password = Encoding.UTF8.GetBytes(TestOptions.SrpPassword);

    [Test]
    public void The_client_draws_a_fresh_256_bit_private_value_per_handshake()
    {
        var crypto = new XtlsCrypto(new SecureRandom());
        TlsSrpConfig config = SrpVerifierIdentityManager.CreateConfig();
        var publicValues = new HashSet<BigInteger>();
        for (int i = 0; i < Draws; i++)
        {
            var client = (ShortExponentSrp6Client)crypto.CreateSrp6Client(config);
            BigInteger a = client.GenerateClientCredentials(Salt(), User, Password);

            Assert.That(client.PrivateValueBitLength, Is.EqualTo(SrpPrivateValue.Bits));
            Assert.That(a.SignValue, Is.EqualTo(1));
            Assert.That(a.CompareTo(SrpVerifierIdentityManager.Group.N), Is.LessThan(0));
            publicValues.Add(a);
        }

        Assert.That(publicValues, Has.Count.EqualTo(Draws), "every handshake needs its own private value");
    }

    [Test]
    public void The_server_draws_a_fresh_256_bit_private_value_per_handshake()
    {
        var crypto = new XtlsCrypto(new SecureRandom());
        TlsSrpConfig config = SrpVerifierIdentityManager.CreateConfig();
        BigInteger verifier = crypto.CreateSrp6VerifierGenerator(config).GenerateVerifier(Salt(), User, Password);
        var publicValues = new HashSet<BigInteger>();
        for (int i = 0; i < Draws; i++)
        {
            var server = (ShortExponentSrp6Server)crypto.CreateSrp6Server(config, verifier);
            publicValues.Add(server.GenerateServerCredentials());

            Assert.That(server.PrivateValueBitLength, Is.EqualTo(SrpPrivateValue.Bits));
        }

        Assert.That(publicValues, Has.Count.EqualTo(Draws), "every handshake needs its own private value");
    }

    [Test]
    public void Both_ends_reach_the_same_secret_only_with_the_right_password()
    {
        var crypto = new XtlsCrypto(new SecureRandom());
        TlsSrpConfig config = SrpVerifierIdentityManager.CreateConfig();
        byte[] salt = Salt();
        BigInteger verifier = crypto.CreateSrp6VerifierGenerator(config).GenerateVerifier(salt, User, Password);

        (BigInteger client, BigInteger server) Agree(byte[] password)
        {
            TlsSrp6Client client = crypto.CreateSrp6Client(config);
            TlsSrp6Server server = crypto.CreateSrp6Server(config, verifier);
            BigInteger a = client.GenerateClientCredentials(salt, User, password);
            BigInteger b = server.GenerateServerCredentials();
            return (client.CalculateSecret(b), server.CalculateSecret(a));
        }

        (BigInteger right, BigInteger rightServer) = Agree(Password);
        (BigInteger wrong, BigInteger wrongServer) = Agree(Encoding.UTF8.GetBytes("wrong password"));
        Assert.Multiple(() =>
        {
            Assert.That(right, Is.EqualTo(rightServer));
            Assert.That(wrong, Is.Not.EqualTo(wrongServer));
        });
    }

    [Test]
    public void A_public_value_that_is_zero_modulo_N_is_an_illegal_parameter_at_both_ends()
    {
        var crypto = new XtlsCrypto(new SecureRandom());
        TlsSrpConfig config = SrpVerifierIdentityManager.CreateConfig();
        BigInteger n = SrpVerifierIdentityManager.Group.N;
        BigInteger verifier = crypto.CreateSrp6VerifierGenerator(config).GenerateVerifier(Salt(), User, Password);
        TlsSrp6Client client = crypto.CreateSrp6Client(config);
        TlsSrp6Server server = crypto.CreateSrp6Server(config, verifier);
        _ = client.GenerateClientCredentials(Salt(), User, Password);
        _ = server.GenerateServerCredentials();

        Assert.Multiple(() =>
        {
            Assert.That(() => client.CalculateSecret(n), Throws.InstanceOf<TlsFatalAlert>()
                .With.Property(nameof(TlsFatalAlert.AlertDescription)).EqualTo(AlertDescription.illegal_parameter));
            Assert.That(() => server.CalculateSecret(n.ShiftLeft(1)), Throws.InstanceOf<TlsFatalAlert>()
                .With.Property(nameof(TlsFatalAlert.AlertDescription)).EqualTo(AlertDescription.illegal_parameter));
        });
    }

    [Test]
    public void The_engine_client_completes_a_handshake_with_a_stock_bouncycastle_server()
    {
        EngineEndpoint client = new("engine client", TlsEngine.Create(TestOptions.Srp(TlsRole.Client)));
        BcEndpoint server = StockSrpPeers.Server(TestOptions.SrpUser, TestOptions.SrpPassword);

        new Shuttle(client, server).Run();

        AssertConnected(client.Engine, client.Error, server);
    }

    [Test]
    public void The_engine_server_completes_a_handshake_with_a_stock_bouncycastle_client()
    {
        BcEndpoint client = StockSrpPeers.Client(TestOptions.SrpUser, TestOptions.SrpPassword);
        EngineEndpoint server = new("engine server", TlsEngine.Create(TestOptions.Srp(TlsRole.Server)));

        new Shuttle(client, server).Run();

        AssertConnected(server.Engine, server.Error, client);
    }

    [Test]
    public void A_stock_bouncycastle_client_with_the_wrong_password_is_refused()
    {
        BcEndpoint client = StockSrpPeers.Client(TestOptions.SrpUser, "wrong password");
        EngineEndpoint server = new("engine server", TlsEngine.Create(TestOptions.Srp(TlsRole.Server)));

        new Shuttle(client, server).Run();

        Assert.Multiple(() =>
        {
            Assert.That(server.Engine.IsHandshakeComplete, Is.False);
            Assert.That(server.EngineError?.Reason, Is.EqualTo(TlsFailureReason.SrpAuthenticationFailed));
        });
    }

    private static void AssertConnected(TlsEngine engine, Exception? engineError, BcEndpoint stock)
    {
        Assert.Multiple(() =>
        {
            Assert.That(engineError, Is.Null);
            Assert.That(stock.Error, Is.Null);
            Assert.That(engine.IsHandshakeComplete, Is.True);
            Assert.That(stock.Protocol.IsConnected, Is.True);
            Assert.That(engine.SessionInfo!.Method, Is.EqualTo(XtlsMethod.Srp));
        });
    }

    private static byte[] Salt()
    {
        byte[] salt = new byte[20];
        Random.Shared.NextBytes(salt);
        return salt;
    }
}
