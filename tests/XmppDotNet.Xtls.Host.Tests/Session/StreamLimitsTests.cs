using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Tests.Session;

/// <summary>XEP-0478 limits read from stream features: positive integers only, anything else as if absent.</summary>
public class StreamLimitsTests
{
    private static XElement Features(string limits) =>
        XElement.Parse($"<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>{limits}</stream:features>");

    [Test]
    public void Both_values_are_read()
    {
        StreamLimits? limits = StreamLimits.FromFeatures(Features("<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>262144</max-bytes><idle-seconds>840</idle-seconds></limits>"));

        Assert.That(limits?.MaxBytes, Is.EqualTo(262_144));
        Assert.That(limits?.IdleSeconds, Is.EqualTo(840));
    }

    [Test]
    public void Features_without_limits_announce_none()
    {
        Assert.That(StreamLimits.FromFeatures(Features(string.Empty)), Is.Null);
    }

    [Test]
    public void Limits_in_another_namespace_are_not_read()
    {
        Assert.That(StreamLimits.FromFeatures(Features("<limits xmlns='urn:example'><max-bytes>5</max-bytes></limits>")), Is.Null);
    }

    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("12kB")]
    [TestCase("")]
    [TestCase("1.5")]
    [TestCase("0x100")]
    [TestCase("000")]
    public void A_value_that_is_not_a_positive_integer_is_ignored(string value)
    {
        StreamLimits? limits = StreamLimits.FromFeatures(Features($"<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>{value}</max-bytes><idle-seconds>60</idle-seconds></limits>"));

        Assert.That(limits?.MaxBytes, Is.Null);
        Assert.That(limits?.IdleSeconds, Is.EqualTo(60));
    }

    [Test]
    public void Limits_with_nothing_usable_announce_none()
    {
        Assert.That(StreamLimits.FromFeatures(Features("<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>none</max-bytes></limits>")), Is.Null);
    }

    [TestCase(" 10000 ", 10_000)]
    [TestCase("+10000", 10_000)]
    [TestCase("0010000", 10_000)]
    [TestCase("2147483648", int.MaxValue)]
    [TestCase("99999999999999999999999", int.MaxValue)]
    public void Lexical_forms_of_a_positive_integer_are_read_and_huge_values_capped(string value, int expected)
    {
        StreamLimits? limits = StreamLimits.FromFeatures(Features($"<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>{value}</max-bytes></limits>"));

        Assert.That(limits?.MaxBytes, Is.EqualTo(expected));
    }

    [Test]
    public void What_a_server_writes_reads_back_the_same()
    {
        var limits = new StreamLimits(65_536, null);

        StreamLimits? read = StreamLimits.FromFeatures(new XElement(XName.Get("features", XmppNamespaces.Streams), limits.ToXElement()));

        Assert.That(read?.MaxBytes, Is.EqualTo(65_536));
        Assert.That(read?.IdleSeconds, Is.Null);
    }

    [Test]
    public void Values_that_are_not_positive_are_refused_by_the_constructor()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StreamLimits(0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StreamLimits(null, -1));
    }
}
