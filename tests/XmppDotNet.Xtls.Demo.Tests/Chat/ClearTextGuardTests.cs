using System.Xml.Linq;
using DotNetty.Transport.Channels.Embedded;
using XmppDotNet.Xtls.Demo.Chat;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class ClearTextGuardTests
{
    [Test]
    public void A_message_that_reaches_the_guard_is_refused_and_never_written()
    {
        var channel = new EmbeddedChannel(new ClearTextGuard());
        var message = new XElement(XName.Get("message", XmppNamespaces.Client), new XAttribute("to", "juliet@capulet.lit/balcony"), new XElement(XName.Get("body", XmppNamespaces.Client), "secret"));

        Task write = channel.WriteAndFlushAsync(message);

        Assert.That(write.IsFaulted, Is.True);
        Assert.That(write.Exception!.GetBaseException(), Is.InstanceOf<InvalidOperationException>());
        Assert.That(channel.ReadOutbound<object>(), Is.Null);
        channel.CloseAsync().Wait();
    }

    [Test]
    public void Presence_iq_and_anything_else_pass()
    {
        var channel = new EmbeddedChannel(new ClearTextGuard());
        var presence = new XElement(XName.Get("presence", XmppNamespaces.Client));
        var iq = new XElement(XName.Get("iq", XmppNamespaces.Client), new XAttribute("type", "get"));

        channel.WriteAndFlushAsync(presence).Wait();
        channel.WriteAndFlushAsync(iq).Wait();

        Assert.That(channel.ReadOutbound<XElement>(), Is.SameAs(presence));
        Assert.That(channel.ReadOutbound<XElement>(), Is.SameAs(iq));
        channel.CloseAsync().Wait();
    }
}
