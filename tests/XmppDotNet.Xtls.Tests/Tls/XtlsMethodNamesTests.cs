using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tls;

public class XtlsMethodNamesTests
{
    [TestCase(XtlsMethod.X509, "x509")]
    [TestCase(XtlsMethod.Srp, "srp")]
    public void Every_method_round_trips_through_its_wire_name(XtlsMethod method, string wire)
    {
        Assert.That(XtlsMethodNames.ToWire(method), Is.EqualTo(wire));
        Assert.That(XtlsMethodNames.TryParse(wire, out XtlsMethod parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(method));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("X509")]
    [TestCase("SRP")]
    [TestCase("x509 ")]
    [TestCase("openpgp")]
    [TestCase("tls-psk")]
    public void Parsing_is_exact_and_refuses_openpgp_and_unknown_names(string? wire)
    {
        Assert.That(XtlsMethodNames.TryParse(wire, out _), Is.False);
    }

    [Test]
    public void An_undefined_method_has_no_wire_name()
    {
        Assert.That(() => XtlsMethodNames.ToWire((XtlsMethod)42), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_tunnel_defaults_are_exactly_the_implemented_methods()
    {
        string[] implemented = [.. Enum.GetValues<XtlsMethod>().Select(XtlsMethodNames.ToWire)];

        Assert.That(new TunnelManagerOptions().SupportedMethods, Is.EquivalentTo(implemented));
    }
}
