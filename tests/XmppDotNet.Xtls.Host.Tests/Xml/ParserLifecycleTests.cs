using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Xml;

public class ParserLifecycleTests
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    [Test]
    public void Reset_forgets_a_partial_element_and_expects_a_new_stream()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(Header + "<message><bo"), events);
        Assert.That(parser.BufferedBytes, Is.EqualTo(12));

        parser.Reset();
        Assert.That(parser.BufferedBytes, Is.Zero);
        events.Clear();
        parser.Parse(Encoding.UTF8.GetBytes("<?xml version='1.0'?>" + Header + "<presence/>"), events);

        Assert.That(events.Select(ParserHarness.Describe), Has.Exactly(1).StartsWith("header").And.Exactly(1).StartsWith("element"));
    }

    [Test]
    public void Stream_restart_after_sasl_success()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        parser.Parse(Encoding.UTF8.GetBytes(
            "<?xml version='1.0'?>" + Header + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1yTXVtY2s=</success>"), events);
        Assert.That(events[^1], Is.InstanceOf<XElement>());

        parser.Reset();
        parser.Parse(Encoding.UTF8.GetBytes(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='second' version='1.0'>" +
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"), events);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Has.Count.EqualTo(4));
            Assert.That(((StreamHeader)events[2]).Id, Is.EqualTo("second"));
            Assert.That(((XElement)events[3]).Name, Is.EqualTo(XName.Get("features", XmppNamespaces.Streams)));
        }
    }

    [Test]
    public void Without_reset_a_second_header_is_not_accepted()
    {
        string xml = Header + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + "<?xml version='1.0'?>" + Header;

        Assert.That(ParserHarness.ConditionOfWhole(xml), Is.EqualTo(StreamErrorConditions.RestrictedXml));
    }

    [Test]
    public void After_an_error_every_call_fails_with_the_same_condition()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        Assert.Throws<XmlStreamException>(() => parser.Parse(Encoding.UTF8.GetBytes(Header + "<!-- x -->"), events));
        events.Clear();

        var again = Assert.Throws<XmlStreamException>(() => parser.Parse("<presence/>"u8, events));
        var empty = Assert.Throws<XmlStreamException>(() => parser.Parse([], events));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.Condition, Is.EqualTo(StreamErrorConditions.RestrictedXml));
            Assert.That(empty.Condition, Is.EqualTo(StreamErrorConditions.RestrictedXml));
            Assert.That(again.InnerException, Is.InstanceOf<XmlStreamException>());
            Assert.That(parser.IsFaulted, Is.True);
            Assert.That(events, Is.Empty);
        }
    }

    [Test]
    public void Reset_clears_a_fault()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();
        Assert.Throws<XmlStreamException>(() => parser.Parse("garbage"u8, events));

        parser.Reset();
        parser.Parse(Encoding.UTF8.GetBytes(Header), events);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.IsFaulted, Is.False);
            Assert.That(events.Single(), Is.InstanceOf<StreamHeader>());
        }
    }

    [Test]
    public void Events_completed_before_an_error_are_delivered()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();

        Assert.Throws<XmlStreamException>(() => parser.Parse(Encoding.UTF8.GetBytes(Header + "<presence/><message/><!-- x -->"), events));

        Assert.That(events.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(StreamHeader), typeof(XElement), typeof(XElement) }));
    }

    [Test]
    public void Whitespace_after_the_footer_is_accepted()
    {
        List<object> events = ParserHarness.ParseWhole(Header + "</stream:stream>\r\n  ");

        Assert.That(events[^1], Is.SameAs(StreamFooter.Instance));
    }

    [Test]
    public void Empty_input_does_nothing()
    {
        var parser = new XmlStreamParser();
        var events = new List<object>();

        parser.Parse([], events);
        parser.Parse(Encoding.UTF8.GetBytes("<?xml version='1.0'?>" + Header), events);

        Assert.That(events.Single(), Is.InstanceOf<StreamHeader>());
    }

    [Test]
    public void Output_must_not_be_null()
    {
        var parser = new XmlStreamParser();

        Assert.Throws<ArgumentNullException>(() => parser.Parse("<"u8, null!));
    }

    [Test]
    public void Header_attributes_are_decoded_and_optional()
    {
        List<object> events = ParserHarness.ParseWhole(
            "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='a&amp;b.example' xmlns='jabber:client'>");

        Assert.That(events[0], Is.EqualTo(new StreamHeader(null, "a&b.example", null, null, null, XmppNamespaces.Client)));
    }

    [Test]
    public void Prefixes_declared_on_the_header_are_in_scope_for_every_element()
    {
        List<object> events = ParserHarness.ParseWhole(
            "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'>" +
            "<db:result from='a.example' to='b.example'>key</db:result>",
            new XmlStreamParserOptions { DefaultNamespace = "jabber:server" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((StreamHeader)events[0]).DefaultNamespace, Is.EqualTo("jabber:server"));
            Assert.That(((XElement)events[1]).Name, Is.EqualTo(XName.Get("result", "jabber:server:dialback")));
        }
    }

    [Test]
    public void Elements_may_redeclare_the_default_namespace()
    {
        List<object> events = ParserHarness.ParseWhole(Header + "<message xmlns='jabber:server'><body/></message>");

        Assert.That(((XElement)events[1]).Elements().Single().Name, Is.EqualTo(XName.Get("body", "jabber:server")));
    }
}
