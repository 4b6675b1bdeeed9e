using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Prosody;

[TestFixture]
public sealed class ProsodyConfigFileTests
{
    [TestCase("plain", "\"plain\"")]
    [TestCase("/tmp/a \"b\"", "\"/tmp/a \\\"b\\\"\"")]
    [TestCase("back\\slash", "\"back\\\\slash\"")]
    [TestCase("line\nbreak\r", "\"line\\nbreak\\r\"")]
    [TestCase("nul\0bell\a", "\"nul\\000bell\\007\"")]
    public void Quote_makes_a_lua_literal_that_cannot_be_broken_out_of(string value, string expected) =>
        Assert.That(ProsodyConfigFile.Quote(value), Is.EqualTo(expected));

    [Test]
    public void Config_binds_only_loopback_and_leaves_out_s2s_http_and_limits()
    {
        var layout = new ProsodyServerLayout("/tmp/xtls-prosody-x", "xtls.test");

        var lua = ProsodyConfigFile.Render(layout, "xtls.test", 40123, "info", null, "c2s_stanza_size_limit = 65536");

        Assert.Multiple(() =>
        {
            Assert.That(lua, Does.Contain("c2s_ports = { 40123 }"));
            Assert.That(lua, Does.Contain("c2s_interfaces = { \"127.0.0.1\" }"));
            Assert.That(lua, Does.Contain("s2s_ports = { }"));
            Assert.That(lua, Does.Contain("http_ports = { }"));
            Assert.That(lua, Does.Contain("c2s_require_encryption = true"));
            Assert.That(lua, Does.Contain("run_as_root = true"));
            Assert.That(lua, Does.Contain("network_settings = { nagle = false }"));
            Assert.That(lua, Does.Contain("modules_disabled = { \"s2s\", \"s2s_auth_certs\", \"offline\" }"));
            Assert.That(lua, Does.Not.Contain("\"limits\""));
            Assert.That(lua, Does.Contain("c2s_stanza_size_limit = 65536"));
            Assert.That(lua, Does.Contain("VirtualHost \"xtls.test\""));
            Assert.That(lua, Does.Contain("pidfile = \"/tmp/xtls-prosody-x/prosody.pid\""));
        });
    }

    [Test]
    public void A_raised_stanza_size_limit_is_written_and_none_is_written_without_one()
    {
        var layout = new ProsodyServerLayout("/tmp/xtls-prosody-x", "xtls.test");

        var raised = ProsodyConfigFile.Render(layout, "xtls.test", 40123, "warn", 1_048_576, string.Empty);
        var stock = ProsodyConfigFile.Render(layout, "xtls.test", 40123, "warn", null, string.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(raised, Does.Contain("c2s_stanza_size_limit = 1048576"));
            Assert.That(stock, Does.Not.Contain("c2s_stanza_size_limit"));
        });
    }
}
