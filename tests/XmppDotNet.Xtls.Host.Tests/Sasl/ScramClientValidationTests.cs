using XmppDotNet.Xtls.Host.Sasl;
using static XmppDotNet.Xtls.Host.Tests.Sasl.ScramTestSupport;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

/// <summary>The client's strict checks of server messages.</summary>
public class ScramClientValidationTests
{
    private const string Salt = "QSXCR+Q6sek8bf92";

    [TestCase("m=ext,r=abcdef,s=QSXCR+Q6sek8bf92,i=4096", "malformed-request", TestName = "Mandatory extension")]
    [TestCase("r=xyzdef,s=QSXCR+Q6sek8bf92,i=4096", "malformed-request", TestName = "Nonce not extending the client nonce")]
    [TestCase("r=abc,s=QSXCR+Q6sek8bf92,i=4096", "malformed-request", TestName = "Nonce without a server part")]
    [TestCase("r=abcd\u00e9f,s=QSXCR+Q6sek8bf92,i=4096", "malformed-request", TestName = "Nonce not printable ASCII")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf9!,i=4096", "incorrect-encoding", TestName = "Salt with a non-Base64 character")]
    [TestCase("r=abcdef,s=QSXCR+Q6 sek8bf92,i=4096", "incorrect-encoding", TestName = "Salt with whitespace")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf9,i=4096", "incorrect-encoding", TestName = "Salt with a bad length")]
    [TestCase("r=abcdef,s=QS=CR+Q6sek8bf92,i=4096", "incorrect-encoding", TestName = "Salt with padding inside")]
    [TestCase("r=abcdef,s=,i=4096", "incorrect-encoding", TestName = "Empty salt")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=0", "malformed-request", TestName = "Zero iterations")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=-1", "malformed-request", TestName = "Negative iterations")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=04096", "malformed-request", TestName = "Iterations with leading zero")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=4096x", "malformed-request", TestName = "Iterations not a number")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=1000001", "malformed-request", TestName = "Iterations above the bound")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=99999999999", "malformed-request", TestName = "Iterations overflowing int")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92", "malformed-request", TestName = "Missing iteration count")]
    [TestCase("s=QSXCR+Q6sek8bf92,r=abcdef,i=4096", "malformed-request", TestName = "Attributes out of order")]
    [TestCase("r=abcdef,s=QSXCR+Q6sek8bf92,i=4096,garbage", "malformed-request", TestName = "Malformed extension")]
    [TestCase("e=other-error", "malformed-request", TestName = "Server error instead of server-first")]
    public void MalformedServerFirst_IsRejectedWithTypedException(string serverFirst, string condition)
    {
        ScramClientMechanism client = Started();

        Assert.That(
            () => client.EvaluateChallenge(Utf8(serverFirst)),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo(condition));
    }

    [Test]
    public void EmptyServerFirst_IsRejected()
    {
        Assert.That(() => Started().EvaluateChallenge([]), Throws.TypeOf<SaslAuthenticationException>());
    }

    [Test]
    public void ServerFirstThatIsNotUtf8_IsRejected()
    {
        Assert.That(
            () => Started().EvaluateChallenge(new byte[] { 0x72, 0x3d, 0xff, 0xfe }),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("malformed-request"));
    }

    [Test]
    public void OversizedServerFirst_IsRejectedBeforeParsing()
    {
        string huge = "r=abcdef" + new string('x', 9000) + ",s=" + Salt + ",i=1";

        Assert.That(() => Started().EvaluateChallenge(Utf8(huge)), Throws.TypeOf<SaslAuthenticationException>());
    }

    [Test]
    public void LowIterationCountAndExtensions_AreAccepted()
    {
        byte[] clientFinal = Started().EvaluateChallenge(Utf8("r=abcdef,s=" + Salt + ",i=1,x=extension"));

        Assert.That(Text(clientFinal), Does.StartWith("c=biws,r=abcdef,p="));
    }

    [Test]
    public void AfterAFailure_TheMechanismRefusesFurtherUse()
    {
        ScramClientMechanism client = Started();
        Assert.That(() => client.EvaluateChallenge(Utf8("r=xyz,s=" + Salt + ",i=1")), Throws.TypeOf<SaslAuthenticationException>());

        Assert.That(() => client.EvaluateChallenge(Utf8("r=abcdef,s=" + Salt + ",i=1")), Throws.InvalidOperationException);
        Assert.That(() => client.VerifySuccess(Utf8("v=AAAA")), Throws.InvalidOperationException);
    }

    [TestCase("", "not-authorized", TestName = "Success without v=")]
    [TestCase("e=invalid-proof", "not-authorized", TestName = "Server error")]
    [TestCase("v=not*base64", "incorrect-encoding", TestName = "Signature not Base64")]
    [TestCase("v=AAAA", "not-authorized", TestName = "Signature of the wrong length")]
    [TestCase("x=unknown", "malformed-request", TestName = "Neither v= nor e=")]
    [TestCase("v=AAAA,garbage", "malformed-request", TestName = "Malformed extension after v=")]
    public void BadServerFinal_IsRejected(string serverFinal, string condition)
    {
        ScramClientMechanism client = Started();
        client.EvaluateChallenge(Utf8("r=abcdef,s=" + Salt + ",i=1"));

        Assert.That(
            () => client.VerifySuccess(Utf8(serverFinal)),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo(condition));
        Assert.That(client.IsServerVerified, Is.False);
    }

    [Test]
    public void ServerErrorText_IsReported()
    {
        ScramClientMechanism client = Started();
        client.EvaluateChallenge(Utf8("r=abcdef,s=" + Salt + ",i=1"));

        var failure = Assert.Throws<SaslAuthenticationException>(() => client.VerifySuccess(Utf8("e=invalid-proof")));
        Assert.That(failure!.Message, Does.Contain("invalid-proof"));
    }

    [Test]
    public void SuccessBeforeTheProof_IsRejected()
    {
        // A server that skips the challenge has proved nothing.
        Assert.That(
            () => Started().VerifySuccess([]),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("not-authorized"));
    }

    [Test]
    public void ChallengeAfterCompletion_IsRejected()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", ScramCredentials.Create(ScramHash.Sha256, "pw")));
        var client = new ScramClientMechanism(ScramHash.Sha256, "user", "pw");
        Authenticate(client, server);

        Assert.That(() => client.EvaluateChallenge(Utf8("r=x")), Throws.TypeOf<SaslAuthenticationException>());
    }

    [Test]
    public void CallsOutOfOrder_AreRejected()
    {
        var client = new ScramClientMechanism(ScramHash.Sha256, "user", "pw", "abc");

        Assert.That(() => client.EvaluateChallenge(Utf8("r=abcdef,s=" + Salt + ",i=1")), Throws.InvalidOperationException);
        client.GetInitialResponse();
        Assert.That(() => client.GetInitialResponse(), Throws.InvalidOperationException);
    }

    [Test]
    public void Constructor_ValidatesArguments()
    {
        Assert.That(() => new ScramClientMechanism((ScramHash)7, "user", "pw"), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ScramClientMechanism(ScramHash.Sha256, "\u00AD", "pw"), Throws.ArgumentException);
        Assert.That(() => new ScramClientMechanism(ScramHash.Sha256, "user\u0007", "pw"), Throws.TypeOf<SaslPrepException>());
        Assert.That(() => new ScramClientMechanism(ScramHash.Sha256, "user", "p\u0000w"), Throws.TypeOf<SaslPrepException>());
        Assert.That(() => new ScramClientMechanism(ScramHash.Sha256, "user", "pw", "a,b"), Throws.ArgumentException);
        Assert.That(() => new ScramClientMechanism(ScramHash.Sha256, new string('u', 9000), "pw"), Throws.ArgumentException);
    }

    private static ScramClientMechanism Started()
    {
        var client = new ScramClientMechanism(ScramHash.Sha1, "user", "pencil", "abc");
        client.GetInitialResponse();
        return client;
    }
}
