namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The Base64 text of SASL elements (RFC 6120 §6.4.2): <c>=</c> or nothing stands for an empty payload.</summary>
public static class SaslPayload
{
    /// <summary>Encodes a payload; empty or missing becomes <c>=</c>.</summary>
    public static string Encode(byte[]? data) => data is null || data.Length == 0 ? "=" : Convert.ToBase64String(data);

    /// <summary>Decodes a payload.</summary>
    /// <exception cref="FormatException">The text is not Base64.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed == "=" ? [] : Convert.FromBase64String(trimmed);
    }
}
