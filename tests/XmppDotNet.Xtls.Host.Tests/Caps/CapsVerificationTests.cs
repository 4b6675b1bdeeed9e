using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Caps;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Tests.Caps;

public class CapsVerificationTests
{
    // XEP-0115 §5.2, simple example.
    private const string SimpleQuery = """
        <query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>
          <identity category='client' name='Exodus 0.9.1' type='pc'/>
          <feature var='http://jabber.org/protocol/caps'/>
          <feature var='http://jabber.org/protocol/disco#info'/>
          <feature var='http://jabber.org/protocol/disco#items'/>
          <feature var='http://jabber.org/protocol/muc'/>
        </query>
        """;

    // XEP-0115 §5.3, complex example (two identities in two languages, an extended information form).
    private const string ComplexQuery = """
        <query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>
          <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
          <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
          <feature var='http://jabber.org/protocol/caps'/>
          <feature var='http://jabber.org/protocol/disco#info'/>
          <feature var='http://jabber.org/protocol/disco#items'/>
          <feature var='http://jabber.org/protocol/muc'/>
          <x xmlns='jabber:x:data' type='result'>
            <field var='FORM_TYPE' type='hidden'>
              <value>urn:xmpp:dataforms:softwareinfo</value>
            </field>
            <field var='ip_version' type='text-multi'>
              <value>ipv4</value>
              <value>ipv6</value>
            </field>
            <field var='os'>
              <value>Mac</value>
            </field>
            <field var='os_version'>
              <value>10.5.1</value>
            </field>
            <field var='software'>
              <value>Psi</value>
            </field>
            <field var='software_version'>
              <value>0.11</value>
            </field>
          </x>
        </query>
        """;

    [Test]
    public void The_simple_example_of_xep_0115_hashes_to_its_ver()
    {
        Assert.That(CapsVerification.TryCompute(Info(SimpleQuery), out string? ver), Is.True);
        Assert.That(ver, Is.EqualTo("QgayPKawpkPSDYmwT/WM94uAlu0="));
    }

    [Test]
    public void The_complex_example_with_languages_and_a_form_hashes_to_its_ver()
    {
        Assert.That(CapsVerification.TryCompute(Info(ComplexQuery), out string? ver), Is.True);
        Assert.That(ver, Is.EqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w="));
    }

    [Test]
    public void Order_on_the_wire_does_not_change_the_ver()
    {
        XElement query = XElement.Parse(ComplexQuery);
        List<XElement> children = [.. query.Elements().Reverse()];
        query.RemoveNodes();
        query.Add(children);
        XElement form = query.Element(XName.Get("x", XmppNamespaces.DataForms))!;
        List<XElement> fields = [.. form.Elements().Reverse()];
        form.RemoveNodes();
        form.Add(fields);

        Assert.That(CapsVerification.TryCompute(DiscoInfo.FromQuery(query), out string? ver), Is.True);
        Assert.That(ver, Is.EqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w="));
    }

    [Test]
    public void A_duplicate_feature_makes_the_answer_ill_formed()
    {
        XElement query = XElement.Parse(SimpleQuery);
        query.Add(new XElement(XName.Get("feature", XmppNamespaces.DiscoInfo), new XAttribute("var", "http://jabber.org/protocol/muc")));

        Assert.That(CapsVerification.TryCompute(DiscoInfo.FromQuery(query), out _), Is.False);
    }

    [Test]
    public void A_duplicate_identity_makes_the_answer_ill_formed()
    {
        XElement query = XElement.Parse(SimpleQuery);
        query.Add(new XElement(XName.Get("identity", XmppNamespaces.DiscoInfo), new XAttribute("category", "client"), new XAttribute("type", "pc"), new XAttribute("name", "Exodus 0.9.1")));

        Assert.That(CapsVerification.TryCompute(DiscoInfo.FromQuery(query), out _), Is.False);
    }

    [Test]
    public void Two_forms_of_one_type_or_a_form_type_with_two_values_make_the_answer_ill_formed()
    {
        XElement twice = XElement.Parse(ComplexQuery);
        twice.Add(new XElement(twice.Element(XName.Get("x", XmppNamespaces.DataForms))!));
        XElement twoValues = XElement.Parse(ComplexQuery);
        twoValues.Descendants(XName.Get("field", XmppNamespaces.DataForms)).First().Add(new XElement(XName.Get("value", XmppNamespaces.DataForms), "urn:example:other"));

        Assert.That(CapsVerification.TryCompute(DiscoInfo.FromQuery(twice), out _), Is.False);
        Assert.That(CapsVerification.TryCompute(DiscoInfo.FromQuery(twoValues), out _), Is.False);
    }

    [Test]
    public void A_form_whose_form_type_is_not_hidden_is_left_out_of_the_hash()
    {
        XElement query = XElement.Parse(SimpleQuery);
        query.Add(new XElement(
            XName.Get("x", XmppNamespaces.DataForms),
            new XAttribute("type", "result"),
            new XElement(XName.Get("field", XmppNamespaces.DataForms), new XAttribute("var", "FORM_TYPE"), new XElement(XName.Get("value", XmppNamespaces.DataForms), "urn:example:visible"))));

        Assert.That(CapsVerification.TryCompute(DiscoInfo.FromQuery(query), out string? ver), Is.True);
        Assert.That(ver, Is.EqualTo("QgayPKawpkPSDYmwT/WM94uAlu0="));
    }

    [Test]
    public void Our_ver_hashes_our_identity_and_sorted_features()
    {
        var features = new FeatureSet();
        features.Add("urn:xmpp:ping");
        features.Add("http://jabber.org/protocol/disco#info");
        features.Add("urn:xmpp:tmp:xtls");
        const string S = "client/pc//XmppDotNet.Xtls<http://jabber.org/protocol/disco#info<urn:xmpp:ping<urn:xmpp:tmp:xtls<";
#pragma warning disable CA5350 // XEP-0115's hash.
        string expected = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(S)));
#pragma warning restore CA5350

        Assert.That(OwnCapabilities.Ver(features), Is.EqualTo(expected));
    }

    private static DiscoInfo Info(string query) => DiscoInfo.FromQuery(XElement.Parse(query));
}
