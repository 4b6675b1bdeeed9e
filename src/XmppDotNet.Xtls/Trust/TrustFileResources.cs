using System.Globalization;
using System.Text;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// The optional fourth field of a trust store line: <c>resources=r1,r2</c>, the resources a fingerprint was
/// seen on, most recent first. A resource may contain almost anything, so <c>%</c>, <c>,</c>, white space
/// and control characters are percent-encoded as UTF-8 (<c>%20</c> for a space, <c>%2C</c> for a comma).
/// </summary>
internal static class TrustFileResources
{
    public const string Prefix = "resources=";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Format(IEnumerable<string> resources)
    {
        var text = new StringBuilder(Prefix);
        Span<byte> bytes = stackalloc byte[4];
        bool first = true;
        foreach (string resource in resources)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            foreach (Rune rune in resource.EnumerateRunes())
            {
                if (rune.Value is '%' or ',' || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
                {
                    int length = rune.EncodeToUtf8(bytes);
                    foreach (byte b in bytes[..length])
                    {
                        text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    }
                }
                else
                {
                    text.Append(rune.ToString());
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Reads the field; returns the resources (normalised, without repeats) or an error message.</summary>
    public static string? TryParse(string field, Jid contact, out List<string> resources)
    {
        resources = [];
        if (!field.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"unknown field '{field}'; the optional fourth field is '{Prefix}resource,resource,...'.";
        }

        string value = field[Prefix.Length..];
        if (value.Length == 0)
        {
            return $"'{field}' lists no resource; leave the field out instead.";
        }

        foreach (string encoded in value.Split(','))
        {
            string? resource = Decode(encoded);
            if (resource is null)
            {
                return $"'{encoded}' in '{Prefix}' is not a percent-encoded UTF-8 resource.";
            }

            Jid full;
            try
            {
                full = contact.WithResource(resource);
            }
            catch (InvalidJidException e)
            {
                return $"'{encoded}' in '{Prefix}' is not a valid resource: {e.Message}";
            }

            if (!resources.Contains(full.Resource!, StringComparer.Ordinal))
            {
                resources.Add(full.Resource!);
            }
        }

        return resources.Count > TrustBook.MaxResourcesPerDevice
            ? $"'{Prefix}' lists more than {TrustBook.MaxResourcesPerDevice} resources."
            : null;
    }

    // Strict: '%' must introduce two hex digits, and the bytes must be UTF-8; an empty resource is refused.
    private static string? Decode(string encoded)
    {
        if (encoded.Length == 0)
        {
            return null;
        }

        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        Span<byte> buffer = stackalloc byte[4];
        for (int i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%')
            {
                if (i + 2 >= encoded.Length
                    || !byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                {
                    return null;
                }

                bytes.Add(b);
                i += 2;
                continue;
            }

            if (Rune.DecodeFromUtf16(encoded.AsSpan(i), out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                return null;
            }

            int length = rune.EncodeToUtf8(buffer);
            bytes.AddRange(buffer[..length]);
            i += used - 1;
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
