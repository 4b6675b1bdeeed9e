using System.Reflection;
using System.Text;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class StreamEventTests
{
    [Test]
    public void Client_header_has_the_documented_form()
    {
        StreamHeader header = StreamHeader.ForClient("example.org");

        Assert.That(
            header.ToXml(),
            Is.EqualTo("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
                       "to='example.org' version='1.0' xml:lang='en'>"));
    }

    [Test]
    public void Header_writes_every_set_attribute_in_order()
    {
        var header = new StreamHeader("juliet@example.org", "example.org", "abc", "1.0", "de", "jabber:server");

        Assert.That(
            header.ToXml(),
            Is.EqualTo("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' " +
                       "to='example.org' from='juliet@example.org' id='abc' version='1.0' xml:lang='de'>"));
    }

    [Test]
    public void Header_values_are_escaped()
    {
        var header = new StreamHeader(null, "a'b<c&d\"e", null, null, null, XmppNamespaces.Client);

        Assert.That(header.ToXml(), Does.EndWith(" to='a&apos;b&lt;c&amp;d&quot;e'>"));
    }

    [Test]
    public void Header_with_an_illegal_character_is_rejected()
    {
        var header = new StreamHeader(null, "a\u0001b", null, null, null, XmppNamespaces.Client);

        Assert.Throws<ArgumentException>(() => header.ToXml());
    }

    [Test]
    public void Written_header_parses_back_to_an_equal_header()
    {
        var header = new StreamHeader("juliet@example.org", "ex'ample.org", "i&d", "1.0", "en", XmppNamespaces.Client);

        List<object> events = ParserHarness.ParseWhole(header.ToXml());

        Assert.That(events.Single(), Is.EqualTo(header));
    }

    [Test]
    public void Client_header_requires_a_domain()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => StreamHeader.ForClient(string.Empty));
            Assert.Throws<ArgumentNullException>(() => StreamHeader.ForClient(null!));
        }
    }

    [Test]
    public void Client_header_carries_from_and_language()
    {
        StreamHeader header = StreamHeader.ForClient("example.org", "juliet@example.org", "fr");

        Assert.That(header, Is.EqualTo(new StreamHeader("juliet@example.org", "example.org", null, "1.0", "fr", XmppNamespaces.Client)));
    }

    [Test]
    public void Footer_is_a_single_instance_closing_the_stream()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StreamFooter.Instance.ToXml(), Is.EqualTo("</stream:stream>"));
            Assert.That(typeof(StreamFooter).GetConstructors(), Is.Empty, "no public constructor: Instance is the only footer");
            Assert.That(StreamFooter.Instance.ToString(), Is.EqualTo("</stream:stream>"));
        }
    }

    [Test]
    public void Header_and_footer_written_together_form_a_stream_the_parser_accepts()
    {
        string xml = StreamHeader.ForClient("example.org").ToXml() + "<presence/>" + StreamFooter.Instance.ToXml();

        List<object> events = ParserHarness.ParseWhole(Encoding.UTF8.GetBytes(xml));

        Assert.That(events.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(StreamHeader), typeof(System.Xml.Linq.XElement), typeof(StreamFooter) }));
    }

    [Test]
    public void Exception_carries_its_condition_and_cause()
    {
        var cause = new InvalidOperationException("inner");
        var exception = new XmlStreamException(StreamErrorConditions.PolicyViolation, "too big", cause);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Condition, Is.EqualTo("policy-violation"));
            Assert.That(exception.Message, Is.EqualTo("too big"));
            Assert.That(exception.InnerException, Is.SameAs(cause));
            Assert.That(new XmlStreamException().Condition, Is.EqualTo("undefined-condition"));
            Assert.That(new XmlStreamException("m").Condition, Is.EqualTo("undefined-condition"));
            Assert.That(new XmlStreamException("m", cause).InnerException, Is.SameAs(cause));
            Assert.Throws<ArgumentException>(() => _ = new XmlStreamException(string.Empty, "m"));
        }
    }

    [Test]
    public void Conditions_are_the_25_of_rfc_6120_named_after_their_constants()
    {
        FieldInfo[] fields = typeof(StreamErrorConditions).GetFields(BindingFlags.Public | BindingFlags.Static);
        string[] expected =
        [
            "bad-format", "bad-namespace-prefix", "conflict", "connection-timeout", "host-gone", "host-unknown",
            "improper-addressing", "internal-server-error", "invalid-from", "invalid-namespace", "invalid-xml",
            "not-authorized", "not-well-formed", "policy-violation", "remote-connection-failed", "reset",
            "resource-constraint", "restricted-xml", "see-other-host", "system-shutdown", "undefined-condition",
            "unsupported-encoding", "unsupported-feature", "unsupported-stanza-type", "unsupported-version",
        ];

        Assert.That(fields.Select(f => (string)f.GetRawConstantValue()!), Is.EquivalentTo(expected));
        foreach (FieldInfo field in fields)
        {
            string kebab = string.Concat(field.Name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
            Assert.That(field.GetRawConstantValue(), Is.EqualTo(kebab), field.Name);
        }
    }
}
