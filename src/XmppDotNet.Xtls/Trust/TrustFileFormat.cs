using System.Text;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// The trust store's text format: one entry per line, <c>bare-jid SP fingerprint SP source</c>, where source
/// is <c>first-use</c> or <c>pinned</c>. Reading tolerates blank lines, <c>#</c> comments, runs of spaces or
/// tabs, CRLF, fingerprints with or without colons in any case, and repeated lines; anything else is an
/// error naming the line.
/// </summary>
internal static class TrustFileFormat
{
    public const string FirstUse = "first-use";
    public const string Pinned = "pinned";

    private const string Header =
        "# XmppDotNet.Xtls trust store: bare-jid fingerprint source (first-use | pinned)\n" +
        "# Fingerprints are SHA-256 of the peer's certificate, as 'openssl x509 -noout -fingerprint -sha256' prints them.\n";

    private static readonly char[] Separators = [' ', '\t'];

    public static TrustBook Parse(string text, string path)
    {
        var book = new TrustBook();
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
            {
                throw new TrustStoreFormatException(
                    path, lineNumber, $"expected 'bare-jid fingerprint source', found {fields.Length} field(s).");
            }

            if (!Jid.TryParse(fields[0], out Jid? jid))
            {
                throw new TrustStoreFormatException(path, lineNumber, $"'{fields[0]}' is not a valid JID.");
            }

            if (jid.IsFull)
            {
                throw new TrustStoreFormatException(
                    path, lineNumber, $"'{fields[0]}' is a full JID; entries are keyed by bare JID ('{jid.Bare}').");
            }

            if (!Fingerprint.TryParse(fields[1], out Fingerprint fingerprint))
            {
                throw new TrustStoreFormatException(
                    path, lineNumber, $"'{fields[1]}' is not a SHA-256 fingerprint (64 hex digits, colons optional).");
            }

            TrustSource source = fields[2].ToUpperInvariant() switch
            {
                "FIRST-USE" => TrustSource.FirstUse,
                "PINNED" => TrustSource.Pinned,
                _ => throw new TrustStoreFormatException(
                    path, lineNumber, $"unknown source '{fields[2]}'; expected '{FirstUse}' or '{Pinned}'."),
            };

            string? conflict = book.Load(jid.ToString(), fingerprint, source);
            if (conflict is not null)
            {
                throw new TrustStoreFormatException(path, lineNumber, conflict);
            }
        }

        return book;
    }

    public static string Write(TrustBook book)
    {
        var text = new StringBuilder(Header);
        foreach (var (peer, fingerprint, source) in book.Entries)
        {
            text.Append(peer).Append(' ')
                .Append(fingerprint.ToString()).Append(' ')
                .Append(source == TrustSource.Pinned ? Pinned : FirstUse).Append('\n');
        }

        return text.ToString();
    }
}
