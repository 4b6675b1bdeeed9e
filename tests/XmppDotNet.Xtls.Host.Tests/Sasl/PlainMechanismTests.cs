using XmppDotNet.Xtls.Host.Sasl;
using static XmppDotNet.Xtls.Host.Tests.Sasl.ScramTestSupport;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

public class PlainMechanismTests
{
    [Test]
    public void InitialResponse_IsNulSeparatedUtf8()
    {
        var plain = new PlainMechanism("juliet", "r0m30myr0m30");

        Assert.That(plain.Name, Is.EqualTo("PLAIN"));
        Assert.That(plain.GetInitialResponse(), Is.EqualTo(Utf8("\0juliet\0r0m30myr0m30")));
    }

    [Test]
    public void InitialResponse_WithAuthzid_PutsItFirst()
    {
        var plain = new PlainMechanism("juliet", "pw", "romeo@montague.net");

        Assert.That(plain.GetInitialResponse(), Is.EqualTo(Utf8("romeo@montague.net\0juliet\0pw")));
    }

    [Test]
    public void UserNameAndPassword_ArePreparedWithSaslPrep()
    {
        var plain = new PlainMechanism("j\u00ADuliet", "\u2168\u00A0p\u00e4ss");

        Assert.That(plain.GetInitialResponse(), Is.EqualTo(Utf8("\0juliet\0IX p\u00e4ss")));
    }

    [Test]
    public void InitialResponse_IsProducedOnce()
    {
        var plain = new PlainMechanism("juliet", "pw");
        plain.GetInitialResponse();

        Assert.That(() => plain.GetInitialResponse(), Throws.InvalidOperationException);
    }

    [Test]
    public void Challenge_IsAProtocolError()
    {
        var plain = new PlainMechanism("juliet", "pw");
        plain.GetInitialResponse();

        Assert.That(
            () => plain.EvaluateChallenge(Utf8("x")),
            Throws.TypeOf<SaslAuthenticationException>().With.Property(nameof(SaslAuthenticationException.Condition)).EqualTo("malformed-request"));
    }

    [Test]
    public void Success_AfterCredentialsWithoutData_IsAccepted()
    {
        var plain = new PlainMechanism("juliet", "pw");
        plain.GetInitialResponse();

        Assert.That(() => plain.VerifySuccess([]), Throws.Nothing);
    }

    [Test]
    public void Success_WithDataOrBeforeCredentials_IsRejected()
    {
        var early = new PlainMechanism("juliet", "pw");
        Assert.That(() => early.VerifySuccess([]), Throws.TypeOf<SaslAuthenticationException>());

        var withData = new PlainMechanism("juliet", "pw");
        withData.GetInitialResponse();
        Assert.That(() => withData.VerifySuccess(Utf8("v=abc")), Throws.TypeOf<SaslAuthenticationException>());
    }

    [Test]
    public void Constructor_ValidatesArguments()
    {
        Assert.That(() => new PlainMechanism("juliet", ""), Throws.ArgumentException);
        Assert.That(() => new PlainMechanism("\u200B", "pw"), Throws.ArgumentException);
        Assert.That(() => new PlainMechanism("juliet", "pw", ""), Throws.ArgumentException);
        Assert.That(() => new PlainMechanism("juliet", "pw", "a\0b"), Throws.ArgumentException);
        Assert.That(() => new PlainMechanism("jul\0iet", "pw"), Throws.TypeOf<SaslPrepException>());
        Assert.That(() => new PlainMechanism("juliet", "p\0w"), Throws.TypeOf<SaslPrepException>());
    }
}
