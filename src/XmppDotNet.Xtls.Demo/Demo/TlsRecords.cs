namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>
/// Names the TLS records in a chunk of the tunnel, for the demo's display: the plaintext handshake
/// messages by type, and how many records are encrypted (whose content only the two ends can know).
/// </summary>
internal static class TlsRecords
{
    private const int HeaderLength = 5;

    /// <summary>A short description such as <c>ServerHello, change_cipher_spec, 4 encrypted records</c>.</summary>
    public static string Describe(ReadOnlySpan<byte> chunk)
    {
        var parts = new List<string>();
        int encrypted = 0;
        int offset = 0;
        bool cipherChanged = false;
        while (offset < chunk.Length)
        {
            if (chunk.Length - offset < HeaderLength)
            {
                parts.Add("part of a record");
                break;
            }

            byte type = chunk[offset];
            int length = (chunk[offset + 3] << 8) | chunk[offset + 4];
            int available = Math.Min(length, chunk.Length - offset - HeaderLength);
            ReadOnlySpan<byte> body = chunk.Slice(offset + HeaderLength, available);
            // Application data, and in TLS 1.2 every handshake record after change_cipher_spec, is encrypted.
            if (type == 23 || (type == 22 && cipherChanged))
            {
                encrypted++;
            }
            else
            {
                Flush(parts, ref encrypted);
                parts.Add(Name(type, body));
                cipherChanged |= type == 20;
            }

            offset += HeaderLength + length;
        }

        Flush(parts, ref encrypted);
        return parts.Count == 0 ? "no records" : string.Join(", ", parts);
    }

    private static void Flush(List<string> parts, ref int encrypted)
    {
        if (encrypted > 0)
        {
            parts.Add(encrypted == 1 ? "1 encrypted record" : $"{encrypted} encrypted records");
            encrypted = 0;
        }
    }

    private static string Name(byte type, ReadOnlySpan<byte> body) => type switch
    {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => HandshakeMessages(body),
        _ => $"record type {type}",
    };

    // A handshake record may hold several messages (TLS 1.2: ServerHello, ServerKeyExchange, ServerHelloDone).
    private static string HandshakeMessages(ReadOnlySpan<byte> body)
    {
        var names = new List<string>();
        int offset = 0;
        while (offset < body.Length && names.Count < 16)
        {
            names.Add(HandshakeName(body[offset]));
            if (offset + 4 > body.Length)
            {
                break;
            }

            offset += 4 + ((body[offset + 1] << 16) | (body[offset + 2] << 8) | body[offset + 3]);
        }

        return names.Count == 0 ? "handshake" : string.Join(" + ", names);
    }

    private static string HandshakeName(byte type) => type switch
    {
        1 => "ClientHello",
        2 => "ServerHello",
        4 => "NewSessionTicket",
        8 => "EncryptedExtensions",
        11 => "Certificate",
        12 => "ServerKeyExchange",
        13 => "CertificateRequest",
        14 => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        _ => $"handshake type {type}",
    };
}
