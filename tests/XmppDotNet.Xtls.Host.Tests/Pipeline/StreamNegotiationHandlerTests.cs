using System.Net.Security;
using System.Security.Authentication;
using System.Xml.Linq;
using DotNetty.Transport.Channels.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using XmppDotNet.Xtls.Host.Pipeline;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.Pipeline;

/// <summary>The client's negotiation driven by a scripted server, message by message.</summary>
public class StreamNegotiationHandlerTests
{
    private static readonly XNamespace Streams = XmppNamespaces.Streams;
    private static readonly XNamespace Sasl = XmppNamespaces.Sasl;
    private static readonly XNamespace Tls = XmppNamespaces.Tls;

    private static (EmbeddedChannel Channel, Listener Listener) Start(bool useStartTls)
    {
        var settings = new NegotiationSettings(
            Jid.Parse("romeo@montague.lit"),
            "secret",
            "orchard",
            useStartTls,
            "montague.lit",
            static (_, _, _, errors) => errors == SslPolicyErrors.None,
            SslProtocols.None);
        var listener = new Listener();
        var channel = new EmbeddedChannel(new StreamNegotiationHandler(settings, listener, NullLogger.Instance));
        return (channel, listener);
    }

    private static XElement Features(params XElement[] children) => new(Streams + "features", children);

    private static XElement Mechanisms(params string[] names) =>
        new(Sasl + "mechanisms", names.Select(n => new XElement(Sasl + "mechanism", n)));

    private static StreamHeader ServerHeader() => new("montague.lit", null, "s1", "1.0", "en", XmppNamespaces.Client);

    [Test]
    public void The_client_opens_the_stream_to_its_domain()
    {
        (EmbeddedChannel channel, _) = Start(useStartTls: true);

        var header = channel.ReadOutbound<StreamHeader>();

        Assert.That(header.To, Is.EqualTo("montague.lit"));
        Assert.That(header.Version, Is.EqualTo("1.0"));
    }

    [Test]
    public void A_server_without_starttls_is_refused_when_tls_is_required()
    {
        (EmbeddedChannel channel, Listener listener) = Start(useStartTls: true);
        channel.ReadOutbound<StreamHeader>();

        channel.WriteInbound(ServerHeader(), Features(Mechanisms("PLAIN", "SCRAM-SHA-1")));

        Assert.That(listener.Failure, Is.TypeOf<XmppConnectionException>().With.Message.Contains("STARTTLS"));
        Assert.That(channel.Open, Is.False);
        Assert.That(Outbound(channel).Any(e => e is XElement x && x.Name.Namespace == Sasl), Is.False, "no credentials were sent");
    }

    [Test]
    public void Starttls_is_asked_for_before_anything_else()
    {
        (EmbeddedChannel channel, _) = Start(useStartTls: true);
        channel.ReadOutbound<StreamHeader>();

        channel.WriteInbound(ServerHeader(), Features(new XElement(Tls + "starttls", new XElement(Tls + "required")), Mechanisms("PLAIN")));

        Assert.That(channel.ReadOutbound<XElement>().Name, Is.EqualTo(Tls + "starttls"));
    }

    [Test]
    public void Plain_is_never_used_without_tls()
    {
        (EmbeddedChannel channel, Listener listener) = Start(useStartTls: false);
        channel.ReadOutbound<StreamHeader>();

        channel.WriteInbound(ServerHeader(), Features(Mechanisms("PLAIN")));

        Assert.That(listener.Failure, Is.TypeOf<XmppAuthenticationException>().With.Property(nameof(XmppAuthenticationException.Condition)).EqualTo("invalid-mechanism"));
        Assert.That(Outbound(channel).Any(e => e is XElement x && x.Name == Sasl + "auth"), Is.False);
    }

    [Test]
    public void Scram_sha_256_is_preferred_and_a_sasl_failure_keeps_its_condition()
    {
        (EmbeddedChannel channel, Listener listener) = Start(useStartTls: false);
        channel.ReadOutbound<StreamHeader>();

        channel.WriteInbound(ServerHeader(), Features(Mechanisms("SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN")));
        XElement auth = channel.ReadOutbound<XElement>();
        channel.WriteInbound(new XElement(Sasl + "failure", new XElement(Sasl + "account-disabled"), new XElement(Sasl + "text", "go away")));

        Assert.That((string?)auth.Attribute("mechanism"), Is.EqualTo("SCRAM-SHA-256"));
        Assert.That(listener.Failure, Is.TypeOf<XmppAuthenticationException>().With.Property(nameof(XmppAuthenticationException.Condition)).EqualTo("account-disabled"));
        Assert.That(listener.Failure!.Message, Does.Contain("go away"));
    }

    [Test]
    public void A_stream_error_during_negotiation_fails_with_its_condition()
    {
        (EmbeddedChannel channel, Listener listener) = Start(useStartTls: true);
        channel.ReadOutbound<StreamHeader>();

        channel.WriteInbound(ServerHeader(), new XElement(Streams + "error", new XElement(XName.Get("host-unknown", XmppNamespaces.StreamErrors))));

        Assert.That(listener.Failure, Is.TypeOf<XmppStreamErrorException>().With.Property(nameof(XmppStreamErrorException.Condition)).EqualTo("host-unknown"));
        Assert.That(channel.Open, Is.False);
    }

    [Test]
    public void A_server_that_offers_binding_without_authentication_is_refused()
    {
        (EmbeddedChannel channel, Listener listener) = Start(useStartTls: false);
        channel.ReadOutbound<StreamHeader>();

        channel.WriteInbound(ServerHeader(), Features(new XElement(XName.Get("bind", XmppNamespaces.Bind))));

        Assert.That(listener.Failure, Is.TypeOf<XmppAuthenticationException>());
        Assert.That(listener.Online, Is.Null);
        Assert.That(Outbound(channel).Any(e => e is XElement x && x.Name.LocalName == "iq"), Is.False, "no bind request on an unauthenticated stream");
    }

    private static List<object> Outbound(EmbeddedChannel channel)
    {
        var all = new List<object>();
        while (channel.ReadOutbound<object>() is { } message)
        {
            all.Add(message);
        }

        return all;
    }

    private sealed class Listener : INegotiationListener
    {
        public Jid? Online { get; private set; }

        public Exception? Failure { get; private set; }

        public void OnOnline(Jid boundJid) => Online = boundJid;

        public void OnNegotiationFailed(Exception failure) => Failure ??= failure;

        public void OnStreamEnded(SessionCloseReason reason, Exception? failure) => Failure ??= failure;
    }
}
