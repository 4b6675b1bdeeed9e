using System.Globalization;
using System.Text;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Writes the YAML configuration of a throwaway ejabberd that serves one domain on loopback.</summary>
internal static class EjabberdConfigFile
{
    public static string Render(EjabberdServerLayout layout, EjabberdServerOptions options, int port)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# A throwaway ejabberd for the XmppDotNet.Xtls integration tests; written anew on every start.");
        yaml.AppendLine("hosts:");
        yaml.Append("  - ").AppendLine(Quote(options.Domain));
        yaml.Append("loglevel: ").AppendLine(options.LogLevel);
        yaml.AppendLine("log_rotate_count: 0");
        yaml.AppendLine("hide_sensitive_log_data: true");
        yaml.AppendLine("certfiles:");
        yaml.Append("  - ").AppendLine(Quote(layout.CertificateFile));
        yaml.AppendLine("# Client connections on loopback only, STARTTLS required; no server-to-server, no HTTP, no direct TLS.");
        yaml.AppendLine("listen:");
        yaml.AppendLine("  -");
        yaml.Append("    port: ").AppendLine(port.ToString(CultureInfo.InvariantCulture));
        yaml.Append("    ip: ").AppendLine(Quote(ProsodyConfigFile.LoopbackAddress));
        yaml.AppendLine("    module: ejabberd_c2s");
        yaml.Append("    max_stanza_size: ").AppendLine(options.MaxStanzaSize.ToString(CultureInfo.InvariantCulture));
        yaml.AppendLine("    shaper: c2s_shaper");
        yaml.AppendLine("    access: c2s");
        yaml.AppendLine("    starttls_required: true");
        yaml.AppendLine("acl:");
        yaml.AppendLine("  local:");
        yaml.AppendLine("    user_regexp: \"\"");
        yaml.AppendLine("access_rules:");
        yaml.AppendLine("  local:");
        yaml.AppendLine("    allow: local");
        yaml.AppendLine("  c2s:");
        yaml.AppendLine("    allow: all");
        yaml.AppendLine("# The stock shapers; which one clients get is the test's choice.");
        yaml.AppendLine("shaper:");
        yaml.AppendLine("  normal:");
        yaml.AppendLine("    rate: 3000");
        yaml.AppendLine("    burst_size: 20000");
        yaml.AppendLine("  fast: 200000");
        yaml.AppendLine("shaper_rules:");
        yaml.AppendLine("  max_user_sessions: 10");
        yaml.Append("  c2s_shaper: ").AppendLine(options.Shaper == EjabberdShaper.Stock ? "normal" : "none");
        yaml.AppendLine("auth_method: internal");
        yaml.AppendLine("modules:");
        yaml.AppendLine("  mod_caps: {}");
        yaml.AppendLine("  mod_disco: {}");
        yaml.AppendLine("  mod_ping: {}");
        yaml.AppendLine("  mod_roster: {}");
        yaml.AppendLine("  mod_stream_mgmt:");
        yaml.Append("    resume_timeout: ").AppendLine(((int)Math.Ceiling(options.ResumeTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        return yaml.ToString();
    }

    /// <summary>A single-quoted YAML scalar: nothing inside one is special but the quote, which is doubled.</summary>
    public static string Quote(string value)
    {
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException("A configuration value cannot contain control characters.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
