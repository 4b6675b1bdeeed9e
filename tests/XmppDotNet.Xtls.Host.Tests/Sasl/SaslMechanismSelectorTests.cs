using XmppDotNet.Xtls.Host.Sasl;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

public class SaslMechanismSelectorTests
{
    [TestCase(true, "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", ExpectedResult = "SCRAM-SHA-256")]
    [TestCase(false, "SCRAM-SHA-256", "PLAIN", ExpectedResult = "SCRAM-SHA-256")]
    [TestCase(true, "PLAIN", "SCRAM-SHA-1", ExpectedResult = "SCRAM-SHA-1")]
    [TestCase(false, "SCRAM-SHA-1", ExpectedResult = "SCRAM-SHA-1")]
    [TestCase(true, "PLAIN", ExpectedResult = "PLAIN")]
    [TestCase(true, "DIGEST-MD5", "PLAIN", ExpectedResult = "PLAIN")]
    [TestCase(true, " SCRAM-SHA-256 ", ExpectedResult = "SCRAM-SHA-256")]
    [TestCase(true, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1", ExpectedResult = "SCRAM-SHA-1")]
    public string? Select_PicksTheStrongestAcceptable(bool encrypted, params string[] offered) =>
        SaslMechanismSelector.Select(offered, "juliet", "pw", encrypted)?.Name;

    [TestCase(false, "PLAIN")]
    [TestCase(true, "DIGEST-MD5", "CRAM-MD5", "X-OAUTH2")]
    [TestCase(true, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS")]
    [TestCase(true)]
    public void Select_ReturnsNullWhenNothingIsAcceptable(bool encrypted, params string[] offered)
    {
        Assert.That(SaslMechanismSelector.Select(offered, "juliet", "pw", encrypted), Is.Null);
    }

    [Test]
    public void Select_ReturnsReadyMechanisms()
    {
        var scram = SaslMechanismSelector.Select(["SCRAM-SHA-256"], "juliet", "pw", channelIsEncrypted: false);

        Assert.That(scram, Is.TypeOf<ScramClientMechanism>());
        Assert.That(((ScramClientMechanism)scram!).Hash, Is.EqualTo(ScramHash.Sha256));
        Assert.That(System.Text.Encoding.UTF8.GetString(scram.GetInitialResponse()!), Does.StartWith("n,,n=juliet,r="));
    }

    [Test]
    public void Select_ValidatesArguments()
    {
        Assert.That(() => SaslMechanismSelector.Select(null!, "u", "p", true), Throws.ArgumentNullException);
        Assert.That(() => SaslMechanismSelector.Select(["PLAIN"], "u\u0007", "p", true), Throws.TypeOf<SaslPrepException>());
    }
}
