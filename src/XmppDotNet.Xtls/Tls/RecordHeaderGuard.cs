namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// Follows the TLS record framing of the incoming stream, across any split, and checks each record header's
/// version before the record reaches BouncyCastle.
/// </summary>
/// <remarks>
/// BouncyCastle ignores the version field of TLS 1.2 record headers (its MAC uses the negotiated version), so a
/// changed version would pass unnoticed. After the handshake every record must say 0x0303, which both TLS 1.2
/// and TLS 1.3 write; during the handshake any 3.x version is let through (hellos may say 0x0301, early
/// alerts 0x0300), and BouncyCastle checks the versions that matter there.
/// The guard also lets the engine feed BouncyCastle one record at a time.
/// </remarks>
internal sealed class RecordHeaderGuard
{
    public const int HeaderLength = 5;
    private const int Tls12RecordVersion = 0x0303;

    private readonly byte[] _header = new byte[HeaderLength];
    private int _headerFill;
    private int _bodyRemaining;
    private bool _inBody;

    /// <summary>The version of the header that was refused.</summary>
    public int RefusedVersion { get; private set; }

    /// <summary>
    /// Walks <paramref name="input"/> up to the end of the current record (or to its end if the record goes on).
    /// </summary>
    /// <param name="input">The bytes not yet walked.</param>
    /// <param name="handshakeComplete">Whether only the post-handshake record version is acceptable.</param>
    /// <param name="consumed">How many bytes may go to BouncyCastle.</param>
    /// <returns><c>false</c> if a header with an unacceptable version was found (right after the consumed bytes).</returns>
    public bool Advance(ReadOnlySpan<byte> input, bool handshakeComplete, out int consumed)
    {
        int offset = 0;
        while (offset < input.Length)
        {
            if (_inBody)
            {
                int take = Math.Min(_bodyRemaining, input.Length - offset);
                offset += take;
                _bodyRemaining -= take;
                if (_bodyRemaining == 0)
                {
                    _inBody = false;
                    consumed = offset;
                    return true;
                }

                continue;
            }

            int headerStart = offset;
            while (_headerFill < HeaderLength && offset < input.Length)
            {
                _header[_headerFill++] = input[offset++];
            }

            if (_headerFill < HeaderLength)
            {
                break;
            }

            _headerFill = 0;
            int version = (_header[1] << 8) | _header[2];
            if (!Acceptable(version, handshakeComplete))
            {
                RefusedVersion = version;
                consumed = headerStart;
                return false;
            }

            _bodyRemaining = (_header[3] << 8) | _header[4];
            _inBody = _bodyRemaining > 0;
            if (!_inBody)
            {
                consumed = offset;
                return true;
            }
        }

        consumed = offset;
        return true;
    }

    private static bool Acceptable(int version, bool handshakeComplete) =>
        handshakeComplete ? version == Tls12RecordVersion : (version >> 8) == 3;
}
