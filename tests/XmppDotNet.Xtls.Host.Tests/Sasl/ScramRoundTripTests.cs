using System.Text.RegularExpressions;
using XmppDotNet.Xtls.Host.Sasl;
using static XmppDotNet.Xtls.Host.Tests.Sasl.ScramTestSupport;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

/// <summary>The client mechanism against the server conversation.</summary>
public class ScramRoundTripTests
{
    private static readonly ScramHash[] Hashes = [ScramHash.Sha1, ScramHash.Sha256];

    [TestCaseSource(nameof(Hashes))]
    public void RightPassword_AuthenticatesBothWays(ScramHash hash)
    {
        var credentials = ScramCredentials.Create(hash, "correct horse");
        var server = new ScramServerConversation(hash, OneUser("juliet", credentials));
        var client = new ScramClientMechanism(hash, "juliet", "correct horse");

        byte[] serverFinal = Authenticate(client, server);

        Assert.That(Text(serverFinal), Does.StartWith("v="));
        Assert.That(server.AuthenticatedUser, Is.EqualTo("juliet"));
        Assert.That(client.IsServerVerified, Is.True);
    }

    [TestCaseSource(nameof(Hashes))]
    public void WrongPassword_FailsAtClientFinalWithNotAuthorized(ScramHash hash)
    {
        var server = new ScramServerConversation(hash, OneUser("juliet", ScramCredentials.Create(hash, "correct horse")));
        var client = new ScramClientMechanism(hash, "juliet", "battery staple");
        byte[] clientFinal = client.EvaluateChallenge(server.HandleClientFirst(client.GetInitialResponse()));

        Assert.That(
            () => server.HandleClientFinal(clientFinal),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("not-authorized"));
        Assert.That(server.AuthenticatedUser, Is.Null);
        Assert.That(() => server.HandleClientFinal(clientFinal), Throws.InvalidOperationException);
    }

    [Test]
    public void UnknownUser_IsIndistinguishableFromWrongPassword()
    {
        var known = ScramCredentials.Create(ScramHash.Sha256, "correct horse");
        Func<string, ScramCredentials?> lookup = OneUser("juliet", known);

        (string knownFirst, SaslAuthenticationException knownFailure) = AttemptWithWrongPassword("juliet", lookup);
        (string unknownFirst, SaslAuthenticationException unknownFailure) = AttemptWithWrongPassword("nobody", lookup);
        (string unknownAgain, _) = AttemptWithWrongPassword("nobody", lookup);

        // Same shape: 32-character nonce extension, 16-byte salt, the same iteration count.
        var shape = new Regex("^r=[^,]{32}[^,]{32},s=[A-Za-z0-9+/]{22}==,i=4096$");
        Assert.That(knownFirst, Does.Match(shape));
        Assert.That(unknownFirst, Does.Match(shape));

        // A fake salt is stable for a user name, as a real one would be.
        Assert.That(SaltOf(unknownAgain), Is.EqualTo(SaltOf(unknownFirst)));
        Assert.That(SaltOf(unknownFirst), Is.Not.EqualTo(SaltOf(knownFirst)));

        Assert.That(unknownFailure.Condition, Is.EqualTo(knownFailure.Condition));
        Assert.That(unknownFailure.Message, Is.EqualTo(knownFailure.Message));
    }

    [Test]
    public void UnknownUser_FailsEvenWithAProofForTheFakeSalt()
    {
        // The attacker completes the exchange honestly with some password against the fake parameters.
        var server = new ScramServerConversation(ScramHash.Sha256, _ => null);
        var client = new ScramClientMechanism(ScramHash.Sha256, "nobody", "anything");
        byte[] clientFinal = client.EvaluateChallenge(server.HandleClientFirst(client.GetInitialResponse()));

        Assert.That(() => server.HandleClientFinal(clientFinal), Throws.TypeOf<SaslAuthenticationException>());
        Assert.That(server.AuthenticatedUser, Is.Null);
    }

    [Test]
    public void CredentialsForAnotherHash_AreTreatedAsUnknownUser()
    {
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("juliet", ScramCredentials.Create(ScramHash.Sha1, "pw")));
        var client = new ScramClientMechanism(ScramHash.Sha256, "juliet", "pw");
        byte[] clientFinal = client.EvaluateChallenge(server.HandleClientFirst(client.GetInitialResponse()));

        Assert.That(() => server.HandleClientFinal(clientFinal), Throws.TypeOf<SaslAuthenticationException>());
    }

    [Test]
    public void UserNameWithCommaAndEquals_IsEscapedOnTheWireAndAuthenticates()
    {
        string? seen = null;
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pw");
        var server = new ScramServerConversation(ScramHash.Sha256, name =>
        {
            seen = name;
            return name == "a,b=c" ? credentials : null;
        });
        var client = new ScramClientMechanism(ScramHash.Sha256, "a,b=c", "pw", "nonce");

        byte[] clientFirst = client.GetInitialResponse()!;
        Assert.That(Text(clientFirst), Is.EqualTo("n,,n=a=2Cb=3Dc,r=nonce"));

        client.VerifySuccess(server.HandleClientFinal(client.EvaluateChallenge(server.HandleClientFirst(clientFirst))));
        Assert.That(seen, Is.EqualTo("a,b=c"));
        Assert.That(server.AuthenticatedUser, Is.EqualTo("a,b=c"));
    }

    [Test]
    public void SaslPrepEquivalentPasswords_Authenticate()
    {
        // Stored as "IX"; typed with a soft hyphen (mapped to nothing) and as the Roman numeral nine (NFKC).
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "IX");

        foreach (string typed in new[] { "I\u00ADX", "\u2168" })
        {
            var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", credentials));
            Assert.That(() => Authenticate(new ScramClientMechanism(ScramHash.Sha256, "user", typed), server), Throws.Nothing, typed);
        }
    }

    [Test]
    public void NonAsciiUserAndPassword_Authenticate()
    {
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "p\u00e4ssw\u00f6rd \U0001F510");
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("j\u00fcliet", credentials));

        Authenticate(new ScramClientMechanism(ScramHash.Sha256, "j\u00fcliet", "p\u00e4ssw\u00f6rd \U0001F510"), server);

        Assert.That(server.AuthenticatedUser, Is.EqualTo("j\u00fcliet"));
    }

    [Test]
    public void ServerThatAcceptsWithoutKnowingThePassword_IsRejected()
    {
        // An impostor relays a genuine server-first (so the client computes its proof) but cannot sign.
        var genuine = new ScramServerConversation(ScramHash.Sha256, OneUser("juliet", ScramCredentials.Create(ScramHash.Sha256, "pw")));
        var client = new ScramClientMechanism(ScramHash.Sha256, "juliet", "pw");
        client.EvaluateChallenge(genuine.HandleClientFirst(client.GetInitialResponse()));

        byte[] forged = new byte[32];
        Assert.That(
            () => client.VerifySuccess(Utf8("v=" + Convert.ToBase64String(forged))),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("not-authorized"));
    }

    [Test]
    public void ServerFinalSentAsChallenge_IsVerifiedThenEmptySuccessAccepted()
    {
        var server = new ScramServerConversation(ScramHash.Sha1, OneUser("user", ScramCredentials.Create(ScramHash.Sha1, "pw")));
        var client = new ScramClientMechanism(ScramHash.Sha1, "user", "pw");
        byte[] serverFinal = server.HandleClientFinal(client.EvaluateChallenge(server.HandleClientFirst(client.GetInitialResponse())));

        Assert.That(client.EvaluateChallenge(serverFinal), Is.Empty);
        Assert.That(client.IsServerVerified, Is.True);
        Assert.That(() => client.VerifySuccess([]), Throws.Nothing);
    }

    [Test]
    public void EmptyPassword_RoundTrips()
    {
        // Nothing in RFC 5802 forbids it; PBKDF2 with an empty key must not be a crash path.
        var server = new ScramServerConversation(ScramHash.Sha256, OneUser("user", ScramCredentials.Create(ScramHash.Sha256, "")));

        Authenticate(new ScramClientMechanism(ScramHash.Sha256, "user", ""), server);

        Assert.That(server.AuthenticatedUser, Is.EqualTo("user"));
    }

    [Test]
    public void EachAttempt_UsesFreshNonces()
    {
        var first = new ScramClientMechanism(ScramHash.Sha256, "user", "pw");
        var second = new ScramClientMechanism(ScramHash.Sha256, "user", "pw");

        Assert.That(Text(first.GetInitialResponse()), Is.Not.EqualTo(Text(second.GetInitialResponse())));
    }

    private static (string ServerFirst, SaslAuthenticationException Failure) AttemptWithWrongPassword(
        string username, Func<string, ScramCredentials?> lookup)
    {
        var server = new ScramServerConversation(ScramHash.Sha256, lookup);
        var client = new ScramClientMechanism(ScramHash.Sha256, username, "wrong password");
        byte[] serverFirst = server.HandleClientFirst(client.GetInitialResponse());
        byte[] clientFinal = client.EvaluateChallenge(serverFirst);
        var failure = Assert.Throws<SaslAuthenticationException>(() => server.HandleClientFinal(clientFinal));
        return (Text(serverFirst), failure!);
    }

    private static string SaltOf(string serverFirst) => serverFirst.Split(',')[1];
}
