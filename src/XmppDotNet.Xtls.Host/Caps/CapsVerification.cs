using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Services;

namespace XmppDotNet.Xtls.Host.Caps;

/// <summary>
/// The verification string of XEP-0115 §5.1 over a disco#info answer, with SHA-1 (the hash Prosody,
/// ejabberd, Conversations and Gajim use), and the checks of §5.4 that make an answer ill-formed.
/// </summary>
internal static class CapsVerification
{
    /// <summary>The only hash whose announcements are trusted.</summary>
    public const string Sha1 = "sha-1";

    private const string FormType = "FORM_TYPE";
    private static readonly XName FieldName = XName.Get("field", XmppNamespaces.DataForms);
    private static readonly XName ValueName = XName.Get("value", XmppNamespaces.DataForms);

    /// <summary>The verification string of an answer, or <c>false</c> if it is ill-formed (§5.4 steps 3–5): duplicate identities, features or form types, or a form type with several values.</summary>
    public static bool TryCompute(DiscoInfo info, [NotNullWhen(true)] out string? ver)
    {
        ArgumentNullException.ThrowIfNull(info);
        ver = null;
        var s = new StringBuilder();

        if (info.Identities.Select(i => (i.Category, i.Type, i.Lang ?? string.Empty, i.Name ?? string.Empty)).Distinct().Count() != info.Identities.Count)
        {
            return false;
        }

        // Sorted on the parts, not on the joined string, so that a '/' in a name cannot reorder them.
        foreach (DiscoIdentity identity in info.Identities.Order(IdentityOrder.Instance))
        {
            s.Append(identity.Category).Append('/').Append(identity.Type).Append('/').Append(identity.Lang).Append('/').Append(identity.Name).Append('<');
        }

        if (HasDuplicates(info.Features))
        {
            return false;
        }

        foreach (string feature in info.Features.Order(Utf8Order.Instance))
        {
            s.Append(feature).Append('<');
        }

        List<(string Type, XElement Form)> forms = [];
        foreach (XElement form in info.Forms)
        {
            XElement? typeField = form.Elements(FieldName).FirstOrDefault(f => (string?)f.Attribute("var") == FormType);
            if (typeField is null || (string?)typeField.Attribute("type") != "hidden")
            {
                // §5.4 step 6: such a form is not part of the hash.
                continue;
            }

            string[] values = [.. typeField.Elements(ValueName).Select(v => v.Value).Distinct(StringComparer.Ordinal)];
            if (values.Length != 1)
            {
                return false;
            }

            forms.Add((values[0], form));
        }

        if (HasDuplicates(forms.Select(f => f.Type).ToList()))
        {
            return false;
        }

        foreach ((string type, XElement form) in forms.OrderBy(f => f.Type, Utf8Order.Instance))
        {
            s.Append(type).Append('<');
            IEnumerable<XElement> fields = form.Elements(FieldName)
                .Where(f => (string?)f.Attribute("var") is { } name && name != FormType)
                .OrderBy(f => (string)f.Attribute("var")!, Utf8Order.Instance);
            foreach (XElement field in fields)
            {
                s.Append((string)field.Attribute("var")!).Append('<');
                foreach (string value in field.Elements(ValueName).Select(v => v.Value).Order(Utf8Order.Instance))
                {
                    s.Append(value).Append('<');
                }
            }
        }

        ver = Hash(s.ToString());
        return true;
    }

    /// <summary>The verification string of an answer known to be well-formed (ours).</summary>
    /// <exception cref="ArgumentException">The answer is ill-formed.</exception>
    public static string Compute(DiscoInfo info) =>
        TryCompute(info, out string? ver) ? ver : throw new ArgumentException("The disco#info answer has duplicate identities, features or form types.", nameof(info));

    private static string Hash(string s)
    {
#pragma warning disable CA5350 // XEP-0115 names SHA-1; the hash only names a feature list, which is then checked against the answer.
        byte[] digest = SHA1.HashData(Encoding.UTF8.GetBytes(s));
#pragma warning restore CA5350
        return Convert.ToBase64String(digest);
    }

    private static bool HasDuplicates(IReadOnlyCollection<string> items) => items.Distinct(StringComparer.Ordinal).Count() != items.Count;

    /// <summary>i;octet: ordinal order of the UTF-8 bytes (which differs from UTF-16 order above U+D7FF).</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? string.Empty).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? string.Empty));
    }

    private sealed class IdentityOrder : IComparer<DiscoIdentity>
    {
        public static readonly IdentityOrder Instance = new();

        public int Compare(DiscoIdentity? x, DiscoIdentity? y)
        {
            int c = Utf8Order.Instance.Compare(x?.Category, y?.Category);
            c = c != 0 ? c : Utf8Order.Instance.Compare(x?.Type, y?.Type);
            c = c != 0 ? c : Utf8Order.Instance.Compare(x?.Lang, y?.Lang);
            return c != 0 ? c : Utf8Order.Instance.Compare(x?.Name, y?.Name);
        }
    }
}
