using XmppDotNet.Xtls.Host.Sasl;
using static XmppDotNet.Xtls.Host.Tests.Sasl.ScramTestSupport;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

/// <summary>The server conversation's strict checks of client messages.</summary>
public class ScramServerValidationTests
{
    private static readonly ScramCredentials Pencil =
        ScramCredentials.Create(ScramHash.Sha256, "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="));

    [TestCase("p=tls-unique,,n=user,r=abc", "malformed-request", TestName = "Channel binding requested")]
    [TestCase("x,,n=user,r=abc", "malformed-request", TestName = "Unknown GS2 flag")]
    [TestCase("n,a=admin,n=user,r=abc", "invalid-authzid", TestName = "Authorization identity")]
    [TestCase("n,,m=ext,n=user,r=abc", "malformed-request", TestName = "Mandatory extension")]
    [TestCase("n,,n=us=3er,r=abc", "malformed-request", TestName = "Bad escape in user name")]
    [TestCase("n,,n=user=,r=abc", "malformed-request", TestName = "Truncated escape in user name")]
    [TestCase("n,,n=,r=abc", "malformed-request", TestName = "Empty user name")]
    [TestCase("n,,n=user\u0007,r=abc", "malformed-request", TestName = "User name rejected by SASLprep")]
    [TestCase("n,,r=abc,n=user", "malformed-request", TestName = "Attributes out of order")]
    [TestCase("n,,n=user", "malformed-request", TestName = "Missing nonce")]
    [TestCase("n,,n=user,r=", "malformed-request", TestName = "Empty nonce")]
    [TestCase("n,,n=user,r=a\u00e9", "malformed-request", TestName = "Nonce not printable ASCII")]
    [TestCase("n,,n=user,r=abc,garbage", "malformed-request", TestName = "Malformed extension")]
    [TestCase("n=user,r=abc", "malformed-request", TestName = "Missing GS2 header")]
    [TestCase("nonsense", "malformed-request", TestName = "Nonsense")]
    public void MalformedClientFirst_IsRejected(string clientFirst, string condition)
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil));

        Assert.That(
            () => server.HandleClientFirst(Utf8(clientFirst)),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo(condition));
        Assert.That(() => server.HandleClientFinal(Utf8("c=biws,r=abc,p=AAAA")), Throws.InvalidOperationException);
    }

    [Test]
    public void ClientFirstWithExtension_IsAccepted()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil), "srv");

        Assert.That(Text(server.HandleClientFirst(Utf8("n,,n=user,r=abc,x=ext"))), Does.StartWith("r=abcsrv,s="));
    }

    [Test]
    public void GS2FlagY_IsAcceptedAndMustBeRepeatedInTheChannelBinding()
    {
        const string bare = "n=user,r=abc";
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil), "srv");
        string serverFirst = Text(server.HandleClientFirst(Utf8("y,," + bare)));

        string clientFinal = ClientFinal(ScramHash.Sha256, "pencil", "y,,", bare, serverFirst);
        Assert.That(clientFinal, Does.StartWith("c=eSws,"));
        Assert.That(() => server.HandleClientFinal(Utf8(clientFinal)), Throws.Nothing);
        Assert.That(server.AuthenticatedUser, Is.EqualTo("user"));
    }

    [Test]
    public void ChannelBindingThatDoesNotRepeatTheHeader_IsRejected()
    {
        // The client said "y,," but signs "n,,": a downgrade the server must notice.
        const string bare = "n=user,r=abc";
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil), "srv");
        string serverFirst = Text(server.HandleClientFirst(Utf8("y,," + bare)));

        string clientFinal = ClientFinal(ScramHash.Sha256, "pencil", "n,,", bare, serverFirst);
        Assert.That(
            () => server.HandleClientFinal(Utf8(clientFinal)),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("not-authorized"));
    }

    [Test]
    public void ProofForAnotherNonce_IsRejected()
    {
        const string bare = "n=user,r=abc";
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil), "srv");
        string serverFirst = Text(server.HandleClientFirst(Utf8("n,," + bare)));

        string replayed = ClientFinal(ScramHash.Sha256, "pencil", "n,,", bare, serverFirst.Replace("r=abcsrv", "r=abcold", StringComparison.Ordinal));
        Assert.That(
            () => server.HandleClientFinal(Utf8(replayed)),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("not-authorized"));
    }

    [TestCase("c=biws,r=abcsrv", "malformed-request", TestName = "Missing proof")]
    [TestCase("c=biws,r=abcsrv,p=not*base64", "malformed-request", TestName = "Proof not Base64")]
    [TestCase("c=biws,r=abcsrv,p=AAAA", "malformed-request", TestName = "Proof of the wrong length")]
    [TestCase("r=abcsrv,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "malformed-request", TestName = "Missing channel binding")]
    [TestCase("c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "malformed-request", TestName = "Missing nonce")]
    [TestCase("c=biws,r=abcsrv,junk,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "malformed-request", TestName = "Malformed extension")]
    [TestCase("c=biws,r=abcsrv,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "not-authorized", TestName = "Wrong proof")]
    public void BadClientFinal_IsRejected(string clientFinal, string condition)
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil), "srv");
        server.HandleClientFirst(Utf8("n,,n=user,r=abc"));

        Assert.That(
            () => server.HandleClientFinal(Utf8(clientFinal)),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo(condition));
        Assert.That(server.AuthenticatedUser, Is.Null);
    }

    [Test]
    public void ClientFinalBeforeClientFirst_IsRejected()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil));

        Assert.That(() => server.HandleClientFinal(Utf8("c=biws,r=abc,p=AAAA")), Throws.InvalidOperationException);
    }

    [Test]
    public void ClientFirstTwice_IsRejected()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil));
        server.HandleClientFirst(Utf8("n,,n=user,r=abc"));

        Assert.That(() => server.HandleClientFirst(Utf8("n,,n=user,r=abc")), Throws.InvalidOperationException);
    }

    [Test]
    public void OversizedOrNonUtf8ClientFirst_IsRejected()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil));
        Assert.That(() => server.HandleClientFirst(Utf8("n,,n=user,r=" + new string('a', 9000))), Throws.TypeOf<SaslAuthenticationException>());

        var other = new ScramServerConversation(ScramHash.Sha256, OneUser("user", Pencil));
        Assert.That(() => other.HandleClientFirst(new byte[] { (byte)'n', (byte)',', (byte)',', 0xC0, 0x80 }), Throws.TypeOf<SaslAuthenticationException>());
    }

    [Test]
    public void LookupFailure_PropagatesAndEndsTheConversation()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, _ => throw new TimeoutException("database down"));

        Assert.That(() => server.HandleClientFirst(Utf8("n,,n=user,r=abc")), Throws.TypeOf<TimeoutException>());
        Assert.That(() => server.HandleClientFirst(Utf8("n,,n=user,r=abc")), Throws.InvalidOperationException);
    }

    [Test]
    public void LookupReceivesTheSaslPreparedName()
    {
        string? seen = null;
        var server = new ScramServerConversation(ScramHash.Sha256, name =>
        {
            seen = name;
            return null;
        });

        server.HandleClientFirst(Utf8("n,,n=ju\u00ADliet\u00A0x,r=abc"));

        Assert.That(seen, Is.EqualTo("juliet x"));
    }

    [Test]
    public void Constructor_ValidatesArguments()
    {
        Assert.That(() => new ScramServerConversation((ScramHash)9, _ => null), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ScramServerConversation(ScramHash.Sha1, null!), Throws.ArgumentNullException);
        Assert.That(() => new ScramServerConversation(ScramHash.Sha1, _ => null, "a b"), Throws.ArgumentException);
        Assert.That(new ScramServerConversation(ScramHash.Sha1, _ => null).Name, Is.EqualTo("SCRAM-SHA-1"));
    }
}
