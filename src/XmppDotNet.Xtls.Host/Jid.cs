using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace XmppDotNet.Xtls.Host;

/// <summary>
/// An XMPP address (RFC 7622): <c>[localpart@]domainpart[/resourcepart]</c>.
/// </summary>
/// <remarks>
/// Parts are normalised to NFC; localpart and domainpart are case-folded (as PRECIS
/// UsernameCaseMapped and IDNA do for the ASCII and common cases), the resourcepart keeps its case.
/// Equality is ordinal on the normalised form; ordering is <c>i;octet</c> (RFC 4790): the
/// UTF-8 bytes of the whole address compared as unsigned octets.
/// </remarks>
public sealed class Jid : IEquatable<Jid>, IComparable<Jid>
{
    private const int MaxPartBytes = 1023;
    private const string ForbiddenLocalChars = "\"&'/:<>@";

    private readonly string _text;

    /// <summary>Creates an address from its parts, validating and normalising each.</summary>
    /// <param name="local">The localpart, or <c>null</c> for a domain-only address.</param>
    /// <param name="domain">The domainpart (required).</param>
    /// <param name="resource">The resourcepart, or <c>null</c> for a bare address.</param>
    /// <exception cref="InvalidJidException">A part is empty, too long or contains a forbidden character.</exception>
    public Jid(string? local, string domain, string? resource = null)
    {
        Local = local is null ? null : NormalizeLocal(local);
        Domain = NormalizeDomain(domain);
        Resource = resource is null ? null : NormalizeResource(resource);
        _text = Compose(Local, Domain, Resource);
    }

    /// <summary>The localpart (the user name), or <c>null</c>.</summary>
    public string? Local { get; }

    /// <summary>The domainpart (the server or service).</summary>
    public string Domain { get; }

    /// <summary>The resourcepart (the client instance), or <c>null</c>.</summary>
    public string? Resource { get; }

    /// <summary>Whether the address has a resourcepart.</summary>
    public bool IsFull => Resource is not null;

    /// <summary>Whether the address has no resourcepart.</summary>
    public bool IsBare => Resource is null;

    /// <summary>The address without its resourcepart.</summary>
    public Jid Bare => Resource is null ? this : new Jid(Local, Domain);

    /// <summary>Parses an address.</summary>
    /// <exception cref="InvalidJidException">The text is not a valid address.</exception>
    public static Jid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string beforeResource = slash < 0 ? text : text[..slash];
        string? resource = slash < 0 ? null : text[(slash + 1)..];
        int at = beforeResource.IndexOf('@', StringComparison.Ordinal);
        string? local = at < 0 ? null : beforeResource[..at];
        string domain = at < 0 ? beforeResource : beforeResource[(at + 1)..];
        return new Jid(local, domain, resource);
    }

    /// <summary>Parses an address, returning <c>false</c> instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Jid? jid)
    {
        jid = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            jid = Parse(text);
            return true;
        }
        catch (InvalidJidException)
        {
            return false;
        }
    }

    /// <summary>This address with the given resourcepart.</summary>
    public Jid WithResource(string resource) => new(Local, Domain, resource);

    /// <summary>Compares two addresses by <c>i;octet</c> collation of their UTF-8 forms.</summary>
    public int CompareTo(Jid? other)
    {
        if (other is null)
        {
            return 1;
        }

        // Ordinal UTF-16 comparison differs from UTF-8 byte order above U+D7FF, so compare bytes.
        byte[] left = Encoding.UTF8.GetBytes(_text);
        byte[] right = Encoding.UTF8.GetBytes(other._text);
        return left.AsSpan().SequenceCompareTo(right);
    }

    /// <inheritdoc />
    public bool Equals(Jid? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Jid other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    /// <summary>The normalised address as it is written on the wire.</summary>
    public override string ToString() => _text;

    /// <summary>Equality of two addresses (either may be <c>null</c>).</summary>
    public static bool operator ==(Jid? left, Jid? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of two addresses.</summary>
    public static bool operator !=(Jid? left, Jid? right) => !(left == right);

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/> by <c>i;octet</c>.</summary>
    public static bool operator <(Jid? left, Jid? right) => left is null ? right is not null : left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/> by <c>i;octet</c>.</summary>
    public static bool operator >(Jid? left, Jid? right) => left is not null && left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> does not sort after <paramref name="right"/>.</summary>
    public static bool operator <=(Jid? left, Jid? right) => !(left > right);

    /// <summary>Whether <paramref name="left"/> does not sort before <paramref name="right"/>.</summary>
    public static bool operator >=(Jid? left, Jid? right) => !(left < right);

    private static string Compose(string? local, string domain, string? resource)
    {
        var sb = new StringBuilder();
        if (local is not null)
        {
            sb.Append(local).Append('@');
        }

        sb.Append(domain);
        if (resource is not null)
        {
            sb.Append('/').Append(resource);
        }

        return sb.ToString();
    }

    private static string NormalizeLocal(string local)
    {
        string value = Normalize(local, "localpart", caseFold: true);
        foreach (char c in value)
        {
            if (ForbiddenLocalChars.Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c))
            {
                throw new InvalidJidException($"The localpart may not contain '{c}'.");
            }
        }

        return value;
    }

    private static string NormalizeDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string value = domain.EndsWith('.') ? domain[..^1] : domain;
        value = Normalize(value, "domainpart", caseFold: true);

        // An empty label ("a..b", ".a", or "a.." before the one trailing dot was stripped) is no host name.
        if (value.StartsWith('.') || value.EndsWith('.') || value.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidJidException("The domainpart contains an empty label.");
        }

        foreach (char c in value)
        {
            if (c is '@' or '/' or '<' or '>' or '"' or '\'' or '&' || char.IsWhiteSpace(c))
            {
                throw new InvalidJidException($"The domainpart may not contain '{c}'.");
            }
        }

        return value;
    }

    private static string NormalizeResource(string resource) => Normalize(resource, "resourcepart", caseFold: false);

    private static string Normalize(string part, string name, bool caseFold)
    {
        if (part.Length == 0)
        {
            throw new InvalidJidException($"The {name} is empty.");
        }

        // string.Normalize lets unpaired surrogates through; they would turn into U+FFFD in the UTF-8
        // form, so two different addresses could compare equal under i;octet.
        if (part.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !IsWellFormedUtf16(part))
        {
            throw new InvalidJidException($"The {name} contains an unpaired surrogate.");
        }

        string value;
        try
        {
            // Case mapping before NFC (as PRECIS orders it): lower-casing an NFC string can leave one that is not NFC
            // (U+03AA U+0301 lower-cases to U+03CA U+0301, which composes to U+0390), and the stored
            // form must survive being parsed again unchanged.
            value = (caseFold ? part.ToLowerInvariant() : part).Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException e)
        {
            throw new InvalidJidException($"The {name} is not valid Unicode.", e);
        }

        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                throw new InvalidJidException(string.Create(CultureInfo.InvariantCulture, $"The {name} may not contain control character U+{(int)c:X4}."));
            }
        }

        if (Encoding.UTF8.GetByteCount(value) > MaxPartBytes)
        {
            throw new InvalidJidException($"The {name} is longer than {MaxPartBytes} bytes.");
        }

        return value;
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
