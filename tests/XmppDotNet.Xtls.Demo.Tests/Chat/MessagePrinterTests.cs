using System.Text.Json;
using System.Xml.Linq;
using XmppDotNet.Xtls.Demo.Chat;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class MessagePrinterTests
{
    private static readonly Jid Romeo = Jid.Parse("romeo@capulet.lit/orchard");
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit/balcony");
    private static readonly Fingerprint RomeoPrint = XtlsIdentity.Generate().Fingerprint;

    [Test]
    public void A_plain_line_is_sender_colon_body()
    {
        string printed = Print(json: false, Message("O happy dagger!"), X509Tunnel());

        Assert.That(printed, Is.EqualTo("romeo@capulet.lit/orchard: O happy dagger!" + Environment.NewLine));
    }

    [Test]
    public void A_plain_line_cannot_be_broken_or_carry_terminal_escapes()
    {
        string printed = Print(json: false, Message("first\nforged line\u001b[31m"), X509Tunnel());

        Assert.That(printed, Is.EqualTo("romeo@capulet.lit/orchard: first forged line [31m" + Environment.NewLine));
    }

    [Test]
    public void A_json_line_has_sender_recipient_exact_body_method_fingerprint_and_tls()
    {
        string printed = Print(json: true, Message("two\nlines \"quoted\""), X509Tunnel());

        Assert.That(printed.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        using JsonDocument json = JsonDocument.Parse(printed);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("from").GetString(), Is.EqualTo(Romeo.ToString()));
            Assert.That(root.GetProperty("to").GetString(), Is.EqualTo(Juliet.ToString()));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("chat"));
            Assert.That(root.GetProperty("body").GetString(), Is.EqualTo("two\nlines \"quoted\""));
            Assert.That(root.GetProperty("method").GetString(), Is.EqualTo("x509"));
            Assert.That(root.GetProperty("fingerprint").GetString(), Is.EqualTo(RomeoPrint.ToString()));
            Assert.That(root.GetProperty("tls").GetString(), Is.EqualTo("TLSv1.3"));
            Assert.That(root.GetProperty("cipher").GetString(), Is.EqualTo("TLS_AES_128_GCM_SHA256"));
        });
    }

    [Test]
    public void An_srp_tunnel_has_no_fingerprint()
    {
        var tunnel = new XtlsTunnel(Romeo, false, XtlsMethod.Srp, "TLSv1.2", "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", null, null);

        using JsonDocument json = JsonDocument.Parse(Print(json: true, Message("by password"), tunnel));

        Assert.That(json.RootElement.GetProperty("method").GetString(), Is.EqualTo("srp"));
        Assert.That(json.RootElement.GetProperty("fingerprint").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    private static XtlsTunnel X509Tunnel() => new(Romeo, false, XtlsMethod.X509, "TLSv1.3", "TLS_AES_128_GCM_SHA256", RomeoPrint, null);

    private static XElement Message(string body) =>
        new(
            XName.Get("message", XmppNamespaces.Client),
            new XAttribute("from", Romeo.ToString()),
            new XAttribute("to", Juliet.ToString()),
            new XAttribute("type", "chat"),
            new XElement(XName.Get("body", XmppNamespaces.Client), body));

    private static string Print(bool json, XElement message, XtlsTunnel tunnel)
    {
        using var output = new StringWriter();
        new MessagePrinter(output, json).Print(message, tunnel);
        return output.ToString();
    }
}
