using System.Security.Cryptography;
using System.Text;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The message syntax of RFC 5802 §7 shared by the client and the server side.</summary>
internal static class ScramSyntax
{
    /// <summary>Upper bound for any SCRAM message, in bytes; real ones are a few hundred.</summary>
    internal const int MaxMessageBytes = 8192;

    /// <summary>Random bytes in a generated nonce (Base64 makes 32 printable characters of them).</summary>
    private const int NonceBytes = 24;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes a received message as strict UTF-8 within <see cref="MaxMessageBytes"/>.</summary>
    /// <exception cref="SaslAuthenticationException">Too long, empty or not UTF-8 (<c>malformed-request</c>).</exception>
    internal static string Decode(ReadOnlySpan<byte> message, string what)
    {
        if (message.IsEmpty)
        {
            throw Malformed($"The {what} is empty.");
        }

        if (message.Length > MaxMessageBytes)
        {
            throw Malformed($"The {what} is longer than {MaxMessageBytes} bytes.");
        }

        try
        {
            return StrictUtf8.GetString(message);
        }
        catch (DecoderFallbackException e)
        {
            throw new SaslAuthenticationException(SaslConditions.MalformedRequest, $"The {what} is not valid UTF-8.", e);
        }
    }

    /// <summary>Encodes an outgoing message as UTF-8.</summary>
    internal static byte[] Encode(string message) => Encoding.UTF8.GetBytes(message);

    /// <summary>An exception with the condition <c>malformed-request</c>.</summary>
    internal static SaslAuthenticationException Malformed(string message) =>
        new(SaslConditions.MalformedRequest, message);

    /// <summary>Reads <c>name=value</c>; <c>false</c> if the attribute has another name or no value syntax.</summary>
    internal static bool TryGetAttribute(string attribute, char name, out string value)
    {
        if (attribute.Length >= 2 && attribute[0] == name && attribute[1] == '=')
        {
            value = attribute[2..];
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Whether an attribute has the shape of an (ignorable) extension: one letter, '=', a value.</summary>
    internal static bool IsAttribute(string attribute) =>
        attribute.Length >= 2 && char.IsAsciiLetter(attribute[0]) && attribute[1] == '=';

    /// <summary>The value of a required attribute.</summary>
    /// <exception cref="SaslAuthenticationException">The attribute is missing or has another name.</exception>
    internal static string Require(string attribute, char name, string what)
    {
        if (!TryGetAttribute(attribute, name, out string value))
        {
            throw Malformed($"The {what} lacks the '{name}=' attribute where RFC 5802 requires it.");
        }

        return value;
    }

    /// <summary>Checks that every attribute after <paramref name="start"/> (up to <paramref name="end"/>) is a well-formed extension.</summary>
    internal static void RequireExtensions(string[] attributes, int start, int end, string what)
    {
        for (int i = start; i < end; i++)
        {
            if (!IsAttribute(attributes[i]))
            {
                throw Malformed($"The {what} contains a malformed attribute.");
            }
        }
    }

    /// <summary>Escapes a user name as a saslname: '=' becomes "=3D" and ',' becomes "=2C".</summary>
    internal static string EscapeUsername(string username) =>
        username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>Reverses <see cref="EscapeUsername"/>; <c>false</c> on any other use of '='.</summary>
    internal static bool TryUnescapeUsername(string saslname, out string username)
    {
        var sb = new StringBuilder(saslname.Length);
        for (int i = 0; i < saslname.Length; i++)
        {
            char c = saslname[i];
            if (c != '=')
            {
                sb.Append(c);
                continue;
            }

            if (i + 2 >= saslname.Length)
            {
                username = string.Empty;
                return false;
            }

            ReadOnlySpan<char> code = saslname.AsSpan(i + 1, 2);
            if (code.Equals("2C", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(',');
            }
            else if (code.Equals("3D", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append('=');
            }
            else
            {
                username = string.Empty;
                return false;
            }

            i += 2;
        }

        username = sb.ToString();
        return true;
    }

    /// <summary>Whether a nonce is non-empty and made of printable ASCII other than ',' (RFC 5802 "printable").</summary>
    internal static bool IsValidNonce(ReadOnlySpan<char> nonce)
    {
        if (nonce.IsEmpty)
        {
            return false;
        }

        foreach (char c in nonce)
        {
            if (c is < '\x21' or > '\x7e' or ',')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A fresh random nonce.</summary>
    internal static string GenerateNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(NonceBytes));

    /// <summary>Decodes canonical Base64 strictly: no whitespace, correct padding, non-empty.</summary>
    internal static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        int padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith('=') ? 1 : 0;
        for (int i = 0; i < text.Length - padding; i++)
        {
            char c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return false;
            }
        }

        byte[] buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out int written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }

    /// <summary>Parses a positive decimal without sign or leading zeros, within [1, <paramref name="max"/>].</summary>
    internal static bool TryParseIterations(string text, int max, out int iterations)
    {
        iterations = 0;
        if (text.Length is 0 or > 10 || text[0] == '0')
        {
            return false;
        }

        long value = 0;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value > max)
        {
            return false;
        }

        iterations = (int)value;
        return true;
    }
}
