using XmppDotNet.Xtls.Host.Sasl;
using static XmppDotNet.Xtls.Host.Tests.Sasl.ScramTestSupport;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

/// <summary>The published examples: RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256).</summary>
public class ScramVectorTests
{
    private const string Rfc5802ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";
    private const string Rfc5802ServerNonce = "3rfcNHYJY1ZVvWVs7j";
    private const string Rfc5802ClientFirst = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
    private const string Rfc5802ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    private const string Rfc5802ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
    private const string Rfc5802ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

    private const string Rfc7677ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string Rfc7677ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string Rfc7677ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private const string Rfc7677ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string Rfc7677ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string Rfc7677ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    [Test]
    public void Rfc5802_Client_ProducesTheExactMessages()
    {
        var client = new ScramClientMechanism(ScramHash.Sha1, "user", "pencil", Rfc5802ClientNonce);

        Assert.That(client.Name, Is.EqualTo("SCRAM-SHA-1"));
        Assert.That(Text(client.GetInitialResponse()), Is.EqualTo(Rfc5802ClientFirst));
        Assert.That(Text(client.EvaluateChallenge(Utf8(Rfc5802ServerFirst))), Is.EqualTo(Rfc5802ClientFinal));
        Assert.That(() => client.VerifySuccess(Utf8(Rfc5802ServerFinal)), Throws.Nothing);
        Assert.That(client.IsServerVerified, Is.True);
    }

    [Test]
    public void Rfc5802_Server_ProducesTheExactMessages()
    {
        ScramCredentials credentials = ScramCredentials.Create(ScramHash.Sha1, "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"));
        var server = new ScramServerConversation(ScramHash.Sha1, OneUser("user", credentials), Rfc5802ServerNonce);

        Assert.That(Text(server.HandleClientFirst(Utf8(Rfc5802ClientFirst))), Is.EqualTo(Rfc5802ServerFirst));
        Assert.That(Text(server.HandleClientFinal(Utf8(Rfc5802ClientFinal))), Is.EqualTo(Rfc5802ServerFinal));
        Assert.That(server.AuthenticatedUser, Is.EqualTo("user"));
    }

    [Test]
    public void Rfc7677_Client_ProducesTheExactMessages()
    {
        var client = new ScramClientMechanism(ScramHash.Sha256, "user", "pencil", Rfc7677ClientNonce);

        Assert.That(client.Name, Is.EqualTo("SCRAM-SHA-256"));
        Assert.That(Text(client.GetInitialResponse()), Is.EqualTo(Rfc7677ClientFirst));
        Assert.That(Text(client.EvaluateChallenge(Utf8(Rfc7677ServerFirst))), Is.EqualTo(Rfc7677ClientFinal));
        Assert.That(() => client.VerifySuccess(Utf8(Rfc7677ServerFinal)), Throws.Nothing);
    }

    [Test]
    public void Rfc7677_Server_ProducesTheExactMessages()
    {
        ScramCredentials credentials = ScramCredentials.Create(ScramHash.Sha256, "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="));
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", credentials), Rfc7677ServerNonce);

        Assert.That(Text(server.HandleClientFirst(Utf8(Rfc7677ClientFirst))), Is.EqualTo(Rfc7677ServerFirst));
        Assert.That(Text(server.HandleClientFinal(Utf8(Rfc7677ClientFinal))), Is.EqualTo(Rfc7677ServerFinal));
        Assert.That(server.AuthenticatedUser, Is.EqualTo("user"));
    }

    [Test]
    public void Rfc7677_TamperedServerSignature_IsRejected()
    {
        var client = new ScramClientMechanism(ScramHash.Sha256, "user", "pencil", Rfc7677ClientNonce);
        client.GetInitialResponse();
        client.EvaluateChallenge(Utf8(Rfc7677ServerFirst));

        // The same signature with its first byte changed (0xEA -> 0xEB).
        byte[] signature = Convert.FromBase64String(Rfc7677ServerFinal[2..]);
        signature[0] ^= 0x01;

        Assert.That(
            () => client.VerifySuccess(Utf8("v=" + Convert.ToBase64String(signature))),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("not-authorized"));
        Assert.That(client.IsServerVerified, Is.False);
    }
}
