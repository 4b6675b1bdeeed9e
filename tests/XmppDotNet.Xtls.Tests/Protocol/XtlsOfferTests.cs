using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Protocol;

public class XtlsOfferTests
{
    [Test]
    public void Offers_compare_by_value()
    {
        var offer = new XtlsOffer("AA:BB", true);
        var same = new XtlsOffer("AA:" + "BB", true);
        Assert.That(offer, Is.EqualTo(same));
        Assert.That(offer.GetHashCode(), Is.EqualTo(same.GetHashCode()));
        Assert.That(offer, Is.Not.EqualTo(new XtlsOffer("AA:BB", false)));
        Assert.That(offer, Is.Not.EqualTo(new XtlsOffer("AA:BC", true)));
        Assert.That(new XtlsOffer(null, true).Fingerprint, Is.Null);
    }

    [TestCase("")]
    [TestCase("AA BB")]
    [TestCase("AA\nBB")]
    [TestCase("AA\u0001")]
    public void Invalid_fingerprints_are_refused(string fingerprint) =>
        Assert.Throws<ArgumentException>(() => _ = new XtlsOffer(fingerprint, false));

    [Test]
    public void Fingerprint_length_is_bounded()
    {
        Assert.DoesNotThrow(() => _ = new XtlsOffer(new string('A', XtlsOffer.MaxFingerprintLength), false));
        Assert.Throws<ArgumentException>(() => _ = new XtlsOffer(new string('A', XtlsOffer.MaxFingerprintLength + 1), false));
    }
}
