using System.Xml.Linq;
using XmppDotNet.Xtls.Protocol;

namespace XmppDotNet.Xtls.Tests.Protocol;

public class XtlsElementsTests
{
    private const string Xtls = "urn:xmpp:tmp:xtls";

    [Test]
    public void Namespaces_are_those_of_the_specification()
    {
        Assert.That(XtlsNamespaces.Xtls, Is.EqualTo("urn:xmpp:tmp:xtls"));
        Assert.That(XtlsNamespaces.C2cTls, Is.EqualTo("urn:xmpp:tmp:c2ctls"));
        Assert.That(XtlsNamespaces.PubKey, Is.EqualTo("urn:xmpp:tmp:pubkey"));
    }

    [Test]
    public void Empty_elements_serialise_as_in_the_specification()
    {
        Assert.That(XtlsElements.Start().ToString(), Is.EqualTo($"<start xmlns=\"{Xtls}\" />"));
        Assert.That(XtlsElements.Proceed().ToString(), Is.EqualTo($"<proceed xmlns=\"{Xtls}\" />"));
        Assert.That(XtlsElements.Close().ToString(), Is.EqualTo($"<close xmlns=\"{Xtls}\" />"));
        Assert.That(XtlsElements.Closed().ToString(), Is.EqualTo($"<closed xmlns=\"{Xtls}\" />"));
    }

    [Test]
    public void Start_with_offer_matches_the_specification_example()
    {
        XElement start = XtlsElements.Start(new XtlsOffer("RomeoX509CertificateHash", srp: true));
        var expected = XElement.Parse(
            "<start xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'>"
            + "<name>RomeoX509CertificateHash</name></keyinfo><srp/></offer></start>");

        Assert.That(XmlEquivalence.AreEquivalent(XElement.Parse(start.ToString()), expected), Is.True, start.ToString());
    }

    [TestCase(null, false)]
    [TestCase(null, true)]
    [TestCase("3B:4F:00:AA", false)]
    [TestCase("3B:4F:00:AA", true)]
    public void Offers_round_trip_through_start_and_proceed(string? fingerprint, bool srp)
    {
        var offer = new XtlsOffer(fingerprint, srp);

        Assert.That(XtlsElements.ReadOffer(XElement.Parse(XtlsElements.Start(offer).ToString())), Is.EqualTo(offer));
        Assert.That(XtlsElements.ReadOffer(XElement.Parse(XtlsElements.Proceed(offer).ToString())), Is.EqualTo(offer));
    }

    [Test]
    public void No_offer_reads_as_null()
    {
        Assert.That(XtlsElements.ReadOffer(XtlsElements.Start()), Is.Null);
        Assert.That(XtlsElements.ReadOffer(XtlsElements.Proceed()), Is.Null);
    }

    [Test]
    public void Data_round_trips_with_and_without_method()
    {
        byte[] payload = [0, 1, 2, 250, 255];

        XElement first = XElement.Parse(XtlsElements.Data(payload, "x509").ToString());
        XElement later = XElement.Parse(XtlsElements.Data(payload).ToString());

        Assert.That(XtlsElements.ReadMethod(first), Is.EqualTo("x509"));
        Assert.That(XtlsElements.ReadMethod(later), Is.Null);
        Assert.That(later.Attributes().Where(a => !a.IsNamespaceDeclaration), Is.Empty);
        Assert.That(XtlsElements.ReadData(first, 16), Is.EqualTo(payload));
        Assert.That(XtlsElements.ReadData(later, 16), Is.EqualTo(payload));
        Assert.That(later.Value, Is.EqualTo("AAEC+v8="));
    }

    [Test]
    public void Data_with_child_elements_is_malformed()
    {
        var data = XElement.Parse($"<data xmlns='{Xtls}'>AA<x/>EC</data>");
        Assert.That(() => XtlsElements.ReadData(data, 16), Throws.TypeOf<XtlsFormatException>());
    }

    [Test]
    public void Data_bound_applies()
    {
        XElement data = XtlsElements.Data(new byte[100]);
        XtlsBase64Exception e = Assert.Throws<XtlsBase64Exception>(() => XtlsElements.ReadData(data, 99))!;
        Assert.That(e.Error, Is.EqualTo(Base64Error.TooLong));
    }

    [Test]
    public void Offer_parsing_ignores_unknown_children_and_trims_the_fingerprint()
    {
        var start = XElement.Parse(
            "<start xmlns='urn:xmpp:tmp:xtls'><hint xmlns='urn:example'/><offer xmlns='urn:xmpp:tmp:c2ctls'>"
            + "<openpgp><fingerprint>E5:59</fingerprint></openpgp>"
            + "<keyinfo xmlns='urn:xmpp:tmp:pubkey'><algo>sha-256</algo><name>\n  AA:BB:CC  \n</name></keyinfo>"
            + "<srp/></offer></start>");

        Assert.That(XtlsElements.ReadOffer(start), Is.EqualTo(new XtlsOffer("AA:BB:CC", true)));
    }

    [Test]
    public void Offer_without_name_or_with_an_empty_one_has_no_fingerprint()
    {
        var noName = XElement.Parse("<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'/></offer>");
        var emptyName = XElement.Parse("<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name> </name></keyinfo></offer>");

        Assert.That(XtlsElements.ParseOffer(noName), Is.EqualTo(new XtlsOffer(null, false)));
        Assert.That(XtlsElements.ParseOffer(emptyName), Is.EqualTo(new XtlsOffer(null, false)));
    }

    [Test]
    public void A_name_outside_the_pubkey_namespace_is_not_a_fingerprint()
    {
        var offer = XElement.Parse("<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name xmlns='urn:example'>X</name></keyinfo></offer>");
        Assert.That(XtlsElements.ParseOffer(offer).Fingerprint, Is.Null);
    }

    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'/><offer xmlns='urn:xmpp:tmp:c2ctls'/></start>", "More than one offer")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'/><keyinfo xmlns='urn:xmpp:tmp:pubkey'/></offer></start>", "keyinfo")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>A</name><name>B</name></keyinfo></offer></start>", "name")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>A<b/></name></keyinfo></offer></start>", "text only")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>A B</name></keyinfo></offer></start>", "whitespace")]
    public void Ambiguous_or_malformed_offers_are_rejected(string xml, string message)
    {
        XtlsFormatException e = Assert.Throws<XtlsFormatException>(() => XtlsElements.ReadOffer(XElement.Parse(xml)))!;
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void Fingerprint_length_is_bounded_on_parse()
    {
        string ok = new('A', XtlsOffer.MaxFingerprintLength);
        string tooLong = new('A', XtlsOffer.MaxFingerprintLength + 1);
        string huge = new('A', 100_000);

        Assert.That(XtlsElements.ParseOffer(OfferWithName(ok)).Fingerprint, Is.EqualTo(ok));
        Assert.Throws<XtlsFormatException>(() => XtlsElements.ParseOffer(OfferWithName(tooLong)));
        Assert.Throws<XtlsFormatException>(() => XtlsElements.ParseOffer(OfferWithName(huge)));
    }

    [Test]
    public void Child_counts_are_bounded()
    {
        string many = string.Concat(Enumerable.Repeat("<x xmlns='urn:example'/>", XtlsElements.MaxChildren + 1));
        string enough = string.Concat(Enumerable.Repeat("<x xmlns='urn:example'/>", XtlsElements.MaxChildren - 1));

        Assert.Throws<XtlsFormatException>(() => XtlsElements.ReadOffer(XElement.Parse($"<start xmlns='{Xtls}'>{many}</start>")));
        Assert.Throws<XtlsFormatException>(() => XtlsElements.ParseOffer(XElement.Parse($"<offer xmlns='urn:xmpp:tmp:c2ctls'>{many}</offer>")));
        Assert.Throws<XtlsFormatException>(() => XtlsElements.ParseOffer(XElement.Parse($"<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'>{many}</keyinfo></offer>")));
        Assert.That(XtlsElements.ReadOffer(XElement.Parse($"<start xmlns='{Xtls}'>{enough}<offer xmlns='urn:xmpp:tmp:c2ctls'><srp/></offer></start>")), Is.EqualTo(new XtlsOffer(null, true)));
    }

    [Test]
    public void Parse_offer_needs_an_offer_element() =>
        Assert.Throws<XtlsFormatException>(() => XtlsElements.ParseOffer(XtlsElements.Start()));

    private static XElement OfferWithName(string name) =>
        XElement.Parse($"<offer xmlns='urn:xmpp:tmp:c2ctls'><keyinfo xmlns='urn:xmpp:tmp:pubkey'><name>{name}</name></keyinfo></offer>");
}
