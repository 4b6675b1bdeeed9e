using System.Buffers;
using System.Text;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>
/// An element whose character data a parser delivers as bytes (in a <see cref="PayloadStanza"/>) instead of as a
/// string inside an <see cref="XElement"/>: a direct child of a top-level element with this name, holding nothing
/// but characters from <see cref="AllowedCharacters"/>, at most <see cref="MaxBytes"/> of them.
/// </summary>
/// <remarks>
/// Anything else (a child element, a CDATA section, a character or entity reference, another character, more
/// bytes, a second such element in the same stanza) is parsed as usual into an <see cref="XElement"/>, so a peer
/// sees the same rules and errors either way; this is a faster path for the expected shape, never a looser one.
/// </remarks>
public sealed class BinaryPayloadElement
{
    /// <summary>Creates a description.</summary>
    /// <param name="name">The element's qualified name.</param>
    /// <param name="maxBytes">The most bytes of character data delivered as bytes.</param>
    /// <param name="allowedCharacters">
    /// The characters the data may consist of: printable ASCII (no <c>&lt;</c>, <c>&amp;</c> or <c>]</c>), space,
    /// tab and line feed. A carriage return is never allowed, since XML turns it into a line feed.
    /// </param>
    /// <exception cref="ArgumentException">The name has no namespace, or a character is not allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    public BinaryPayloadElement(XName name, int maxBytes, string allowedCharacters)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(allowedCharacters);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (name.Namespace == XNamespace.None)
        {
            throw new ArgumentException("A binary payload element needs a namespace.", nameof(name));
        }

        foreach (char c in allowedCharacters)
        {
            if (!IsPermitted(c))
            {
                throw new ArgumentException($"The character U+{(int)c:X4} cannot be delivered as a binary payload.", nameof(allowedCharacters));
            }
        }

        Name = name;
        MaxBytes = maxBytes;
        AllowedCharacters = allowedCharacters;
        LocalNameUtf8 = Encoding.UTF8.GetBytes(name.LocalName);
        Allowed = SearchValues.Create(Encoding.ASCII.GetBytes(allowedCharacters));
    }

    /// <summary>The element's qualified name.</summary>
    public XName Name { get; }

    /// <summary>The most bytes of character data delivered as bytes; more go the ordinary way.</summary>
    public int MaxBytes { get; }

    /// <summary>The characters the character data may consist of.</summary>
    public string AllowedCharacters { get; }

    /// <summary>The local name as UTF-8, for matching a tag's bytes.</summary>
    internal byte[] LocalNameUtf8 { get; }

    /// <summary>The allowed characters as bytes.</summary>
    internal SearchValues<byte> Allowed { get; }

    private static bool IsPermitted(char c) => c is '\t' or '\n' || (c is >= ' ' and <= '~' && c is not ('<' or '&' or ']'));
}
