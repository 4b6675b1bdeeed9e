using System.Text;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// The trust store's text format: one device of a contact per line,
/// <c>bare-jid SP fingerprint SP source [SP resources=r1,r2,...]</c>, where source is <c>first-use</c> or
/// <c>pinned</c> and the optional fourth field lists the resources the fingerprint was seen on (see
/// <see cref="TrustFileResources"/>). A contact may have several lines, one per device. The three-field
/// lines of earlier versions are read as before (a device seen on no known resource). Reading tolerates
/// blank lines, <c>#</c> comments, runs of spaces or tabs, CRLF, fingerprints with or without colons in any
/// case, and repeated lines; anything else is an error naming the line.
/// </summary>
internal static class TrustFileFormat
{
    public const string FirstUse = "first-use";
    public const string Pinned = "pinned";

    private const string Header =
        "# XmppDotNet.Xtls trust store: one device of a contact per line:\n" +
        "#   bare-jid fingerprint source [resources=resource,...]\n" +
        "# source: first-use (trusted when first seen) or pinned (an explicit decision).\n" +
        "# resources: where the fingerprint was seen, most recent first, percent-encoded (%20 space, %2C comma);\n" +
        "#   another fingerprint from a listed resource is refused as changed, from a new resource it is a new device\n" +
        "#   (unless a line of the contact lists no resource: that device may be behind any resource, so it is a change).\n" +
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
            if (fields.Length is < 3 or > 4)
            {
                throw new TrustStoreFormatException(
                    path, lineNumber, $"expected 'bare-jid fingerprint source [resources=...]', found {fields.Length} field(s).");
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

            List<string> resources = [];
            if (fields.Length == 4 && TrustFileResources.TryParse(fields[3], jid, out resources) is { } badResources)
            {
                throw new TrustStoreFormatException(path, lineNumber, badResources);
            }

            string? conflict = book.Load(jid.ToString(), fingerprint, source, resources);
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
        foreach (var (peer, device) in book.Entries)
        {
            text.Append(peer).Append(' ')
                .Append(device.Fingerprint.ToString()).Append(' ')
                .Append(device.Source == TrustSource.Pinned ? Pinned : FirstUse);
            if (device.Resources.Count > 0)
            {
                text.Append(' ').Append(TrustFileResources.Format(device.Resources));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
