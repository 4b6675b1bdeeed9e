using System.Globalization;
using System.Text;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Writes the Lua configuration of a throwaway Prosody that serves one domain on loopback.</summary>
internal static class ProsodyConfigFile
{
    /// <summary>The address Prosody binds; nothing else on the machine can reach the test server.</summary>
    public const string LoopbackAddress = "127.0.0.1";

    public static string Render(ProsodyServerLayout layout, string domain, int port, string logLevel, int? stanzaSizeLimit, string additionalGlobalSettings)
    {
        var lua = new StringBuilder();
        lua.AppendLine("-- A throwaway Prosody for the XmppDotNet.Xtls integration tests; written anew on every start.");
        lua.AppendLine("-- Runs in the foreground (-F on the command line; the 'daemonize' option is deprecated in 0.12).");
        lua.AppendLine("run_as_root = true -- CI runs the tests as root, and Prosody refuses that without this line");
        Set(lua, "pidfile", Quote(layout.PidFile));
        Set(lua, "data_path", Quote(layout.DataDirectory));
        Set(lua, "certificates", Quote(layout.CertificateDirectory));
        Set(lua, "log", $"{{ {{ levels = {{ min = {Quote(logLevel)} }}, to = \"file\", filename = {Quote(layout.LogFile)} }} }}");
        lua.AppendLine("-- Small IQ round trips would otherwise wait for Nagle plus delayed ACK (about 40 ms each).");
        Set(lua, "network_settings", "{ nagle = false }");
        lua.AppendLine("-- Client connections on loopback only; no server-to-server, no direct TLS, no HTTP.");
        Set(lua, "interfaces", $"{{ {Quote(LoopbackAddress)} }}");
        Set(lua, "local_interfaces", $"{{ {Quote(LoopbackAddress)} }}");
        Set(lua, "c2s_interfaces", $"{{ {Quote(LoopbackAddress)} }}");
        Set(lua, "c2s_ports", $"{{ {port.ToString(CultureInfo.InvariantCulture)} }}");
        Set(lua, "c2s_direct_tls_ports", "{ }");
        Set(lua, "legacy_ssl_ports", "{ }");
        Set(lua, "s2s_ports", "{ }");
        Set(lua, "s2s_direct_tls_ports", "{ }");
        Set(lua, "http_ports", "{ }");
        Set(lua, "https_ports", "{ }");
        Set(lua, "c2s_require_encryption", "true");
        Set(lua, "authentication", Quote("internal_hashed"));
        Set(lua, "storage", Quote("internal"));
        Set(lua, "allow_registration", "false");
        lua.AppendLine("-- mod_limits is deliberately not loaded: Debian's stock 10 kB/s throttle would make tunnel");
        lua.AppendLine("-- tests measure the throttle instead of the code. Real deployments usually have it.");
        lua.AppendLine("-- presence, message, iq and c2s are loaded by Prosody itself.");
        Set(lua, "modules_enabled", "{ \"roster\", \"saslauth\", \"tls\", \"disco\", \"ping\" }");
        Set(lua, "modules_disabled", "{ \"s2s\", \"s2s_auth_certs\", \"offline\" }");
        if (stanzaSizeLimit is { } limit)
        {
            Set(lua, "c2s_stanza_size_limit", limit.ToString(CultureInfo.InvariantCulture));
        }

        if (additionalGlobalSettings.Length > 0)
        {
            lua.AppendLine("-- Settings of the test that started this server:");
            lua.AppendLine(additionalGlobalSettings);
        }

        lua.AppendLine();
        lua.Append("VirtualHost ").AppendLine(Quote(domain));
        lua.Append("    ssl = { certificate = ").Append(Quote(layout.CertificateFile))
            .Append(", key = ").Append(Quote(layout.PrivateKeyFile)).AppendLine(" }");
        return lua.ToString();
    }

    /// <summary>A Lua string literal; escapes everything that could end it or change its meaning.</summary>
    public static string Quote(string value)
    {
        var literal = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => literal.Append(@"\\"),
                '"' => literal.Append("\\\""),
                '\n' => literal.Append(@"\n"),
                '\r' => literal.Append(@"\r"),
                _ when char.IsControl(c) => literal.Append(CultureInfo.InvariantCulture, $"\\{(int)c:D3}"),
                _ => literal.Append(c),
            };
        }

        return literal.Append('"').ToString();
    }

    private static void Set(StringBuilder lua, string name, string value) =>
        lua.Append(name).Append(" = ").AppendLine(value);
}
