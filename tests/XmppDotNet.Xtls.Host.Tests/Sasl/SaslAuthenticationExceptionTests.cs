using XmppDotNet.Xtls.Host.Sasl;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

public class SaslAuthenticationExceptionTests
{
    [Test]
    public void StandardConstructors_DefaultToNotAuthorized()
    {
        var inner = new InvalidOperationException();

        Assert.That(new SaslAuthenticationException().Condition, Is.EqualTo("not-authorized"));
        Assert.That(new SaslAuthenticationException("m").Condition, Is.EqualTo("not-authorized"));
        Assert.That(new SaslAuthenticationException("m", inner).InnerException, Is.SameAs(inner));
    }

    [Test]
    public void ConditionConstructor_KeepsConditionAndMessage()
    {
        var e = new SaslAuthenticationException(SaslConditions.TemporaryAuthFailure, "try later");

        Assert.That(e.Condition, Is.EqualTo("temporary-auth-failure"));
        Assert.That(e.Message, Is.EqualTo("try later"));
        Assert.That(() => new SaslAuthenticationException("", "m"), Throws.ArgumentException);
    }

    [Test]
    public void SaslConditions_KnowsTheElevenRfc6120Conditions()
    {
        string[] all =
        [
            "aborted", "account-disabled", "credentials-expired", "encryption-required", "incorrect-encoding",
            "invalid-authzid", "invalid-mechanism", "malformed-request", "mechanism-too-weak", "not-authorized",
            "temporary-auth-failure",
        ];

        Assert.That(all.All(SaslConditions.IsDefined), Is.True);
        Assert.That(SaslConditions.IsDefined("bad-request"), Is.False);
        Assert.That(SaslConditions.IsDefined(null), Is.False);
    }
}
