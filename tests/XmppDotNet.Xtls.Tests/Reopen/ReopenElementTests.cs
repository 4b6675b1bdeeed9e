using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tests.Tunnels;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Reopen;

/// <summary>The <c>reopen</c> element in <c>start</c> and <c>proceed</c>: its exact form, and what is ignored.</summary>
public class ReopenElementTests
{
    private static readonly byte[] Identity = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    [Test]
    public void The_offer_is_a_reopen_child_with_the_base64_psk_identity()
    {
        XElement start = XtlsElements.Start();
        start.Add(XtlsElements.Reopen(Identity));

        Assert.Multiple(() =>
        {
            Assert.That(start.ToString(SaveOptions.DisableFormatting), Is.EqualTo("<start xmlns=\"urn:xmpp:tmp:xtls\"><reopen psk-id=\"AQIDBAUGBwgJCgsMDQ4PEA==\" /></start>"));
            Assert.That(XtlsElements.ReadReopen(start), Is.EqualTo(Identity));
            Assert.That(() => XtlsElements.Reopen(new byte[15]), Throws.ArgumentException);
            Assert.That(() => XtlsElements.Reopen(new byte[65]), Throws.ArgumentException);
        });
    }

    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'/>", TestName = "No reopen child")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen/></start>", TestName = "No psk-id")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen psk-id='not base64!'/></start>", TestName = "psk-id not base64")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen psk-id='AQIDBAUGBwgJCgsMDQ4P'/></start>", TestName = "psk-id of 15 bytes")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen psk-id='AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'/></start>", TestName = "psk-id of 66 bytes")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen psk-id='AQIDBAUGBwgJCgsMDQ4PEA=='><x/></reopen></start>", TestName = "reopen with a child element")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen psk-id='AQIDBAUGBwgJCgsMDQ4PEA=='/><reopen psk-id='AQIDBAUGBwgJCgsMDQ4PEA=='/></start>", TestName = "Two reopen children")]
    [TestCase("<start xmlns='urn:xmpp:tmp:xtls'><reopen xmlns='urn:other' psk-id='AQIDBAUGBwgJCgsMDQ4PEA=='/></start>", TestName = "reopen in another namespace")]
    public void A_missing_or_malformed_reopen_reads_as_none(string xml) =>
        Assert.That(XtlsElements.ReadReopen(XElement.Parse(xml)), Is.Null);

    [Test]
    public void A_start_with_a_malformed_reopen_is_still_a_request_and_its_proceed_carries_no_acceptance()
    {
        var juliet = new Endpoint(Link.JulietJid);
        juliet.Receive(Stanzas.Start("s1", Link.RomeoJid, Link.JulietJid, "<reopen psk-id='@@@@'/>"), Link.T0);
        IncomingRequest request = juliet.TakeSingle<IncomingRequest>();
        juliet.Manager.Accept(Jid.Parse(Link.RomeoJid), null, request.ReopenIdentity, Link.T0);
        XElement proceed = juliet.TakeSingleStanza();

        Assert.Multiple(() =>
        {
            Assert.That(request.ReopenIdentity, Is.Null);
            Assert.That(Stanzas.Type(proceed), Is.EqualTo("result"));
            Assert.That(proceed.Element(XtlsElements.ProceedName)!.HasElements, Is.False);
        });
    }

    [Test]
    public void The_offer_goes_in_start_and_the_acceptance_in_proceed()
    {
        var link = new Link();
        link.Romeo.Manager.Open(link.Juliet.Jid, "x509", null, Identity, Link.T0);
        link.Run();
        IncomingRequest request = link.Juliet.TakeSingle<IncomingRequest>();
        link.Juliet.Manager.Accept(link.Romeo.Jid, null, request.ReopenIdentity, Link.T0);
        link.Run();
        ProceedReceived proceed = link.Romeo.TakeSingle<ProceedReceived>();

        Assert.Multiple(() =>
        {
            Assert.That(request.ReopenIdentity, Is.EqualTo(Identity));
            Assert.That(proceed.ReopenIdentity, Is.EqualTo(Identity));
        });
    }
}
