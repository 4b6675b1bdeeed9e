using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Protocol;

/// <summary>
/// Builds and reads the XTLS payload elements (<c>start</c>, <c>proceed</c>, <c>data</c>, <c>close</c>,
/// <c>closed</c>) and the XEP-0250 style <c>offer</c> inside <c>start</c> and <c>proceed</c>.
/// </summary>
/// <remarks>
/// Readers are tolerant of unknown children (later versions may add some) but bound what they look
/// at: a fixed number of children per element and a fixed fingerprint length. An ambiguous offer
/// (two offers, two key infos, two names) is rejected rather than guessed at.
/// </remarks>
public static class XtlsElements
{
    /// <summary>The most child elements read in <c>start</c>, <c>proceed</c>, <c>offer</c> or <c>keyinfo</c>.</summary>
    public const int MaxChildren = 16;

    private const string MethodAttribute = "method";
    private const string PskIdAttribute = "psk-id";

    /// <summary>The name of <c>start</c>.</summary>
    public static XName StartName { get; } = XName.Get("start", XtlsNamespaces.Xtls);

    /// <summary>The name of <c>proceed</c>.</summary>
    public static XName ProceedName { get; } = XName.Get("proceed", XtlsNamespaces.Xtls);

    /// <summary>The name of <c>data</c>.</summary>
    public static XName DataName { get; } = XName.Get("data", XtlsNamespaces.Xtls);

    /// <summary>The name of <c>close</c>.</summary>
    public static XName CloseName { get; } = XName.Get("close", XtlsNamespaces.Xtls);

    /// <summary>The name of <c>closed</c>.</summary>
    public static XName ClosedName { get; } = XName.Get("closed", XtlsNamespaces.Xtls);

    /// <summary>The name of <c>reopen</c>, the re-open offer inside <c>start</c> and its acceptance inside <c>proceed</c>.</summary>
    public static XName ReopenName { get; } = XName.Get("reopen", XtlsNamespaces.Xtls);

    /// <summary>The name of the XEP-0250 <c>offer</c>.</summary>
    public static XName OfferName { get; } = XName.Get("offer", XtlsNamespaces.C2cTls);

    /// <summary>The name of <c>srp</c> inside an offer.</summary>
    public static XName SrpName { get; } = XName.Get("srp", XtlsNamespaces.C2cTls);

    /// <summary>The name of <c>keyinfo</c> inside an offer.</summary>
    public static XName KeyInfoName { get; } = XName.Get("keyinfo", XtlsNamespaces.PubKey);

    /// <summary>The name of <c>name</c> (the fingerprint) inside <c>keyinfo</c>.</summary>
    public static XName KeyNameName { get; } = XName.Get("name", XtlsNamespaces.PubKey);

    /// <summary>Builds <c>&lt;start/&gt;</c>, with the offer inside when one is given.</summary>
    /// <param name="offer">The initiator's offer, or <c>null</c>.</param>
    public static XElement Start(XtlsOffer? offer = null) => WithOffer(StartName, offer);

    /// <summary>Builds <c>&lt;proceed/&gt;</c>, with the offer inside when one is given.</summary>
    /// <param name="offer">The responder's offer, or <c>null</c>.</param>
    public static XElement Proceed(XtlsOffer? offer = null) => WithOffer(ProceedName, offer);

    /// <summary>
    /// Builds <c>&lt;reopen psk-id='…'/&gt;</c>: in <c>start</c>, the initiator will offer the re-open key with this
    /// PSK identity in its ClientHello; in <c>proceed</c>, the same identity echoed means the responder holds the key
    /// and will accept it.
    /// </summary>
    /// <param name="identity">The PSK identity (16 to 64 bytes), written as Base64.</param>
    /// <exception cref="ArgumentException">The identity's length is out of range.</exception>
    public static XElement Reopen(ReadOnlySpan<byte> identity)
    {
        if (identity.Length is < Tls.TlsReopenKey.MinIdentityLength or > Tls.TlsReopenKey.MaxIdentityLength)
        {
            throw new ArgumentException($"A re-open identity has {Tls.TlsReopenKey.MinIdentityLength} to {Tls.TlsReopenKey.MaxIdentityLength} bytes.", nameof(identity));
        }

        return new XElement(ReopenName, new XAttribute(PskIdAttribute, Convert.ToBase64String(identity)));
    }

    /// <summary>
    /// Reads the re-open identity inside a <c>start</c> or <c>proceed</c>. A missing, duplicated or malformed
    /// <c>reopen</c> (no or bad Base64 <c>psk-id</c>, a length outside 16 to 64 bytes, child elements) is ignored:
    /// the answer is then a full handshake, as with a peer that never heard of re-opening.
    /// </summary>
    /// <param name="startOrProceed">The <c>start</c> or <c>proceed</c> element.</param>
    /// <returns>The identity, or <c>null</c>.</returns>
    public static byte[]? ReadReopen(XElement startOrProceed)
    {
        ArgumentNullException.ThrowIfNull(startOrProceed);
        XElement? found = null;
        int count = 0;
        foreach (XElement child in startOrProceed.Elements())
        {
            if (++count > MaxChildren)
            {
                return null;
            }

            if (child.Name == ReopenName)
            {
                if (found is not null)
                {
                    return null;
                }

                found = child;
            }
        }

        if (found is null || found.HasElements || found.Attribute(PskIdAttribute)?.Value is not { } text
            || text.Length > 4 * ((Tls.TlsReopenKey.MaxIdentityLength + 2) / 3))
        {
            return null;
        }

        byte[] identity = new byte[Tls.TlsReopenKey.MaxIdentityLength];
        return Convert.TryFromBase64String(text, identity, out int written)
            && written >= Tls.TlsReopenKey.MinIdentityLength
            ? identity[..written]
            : null;
    }

    /// <summary>Builds <c>&lt;data&gt;</c> with the Base64 of the payload.</summary>
    /// <param name="payload">The ciphertext bytes of this chunk.</param>
    /// <param name="method">The TLS method for the initiator's first chunk, otherwise <c>null</c>.</param>
    public static XElement Data(ReadOnlySpan<byte> payload, string? method = null)
    {
        var data = new XElement(DataName, XtlsBase64.Encode(payload));
        if (method is not null)
        {
            data.SetAttributeValue(MethodAttribute, method);
        }

        return data;
    }

    /// <summary>Builds <c>&lt;close/&gt;</c>.</summary>
    public static XElement Close() => new(CloseName);

    /// <summary>Builds <c>&lt;closed/&gt;</c>.</summary>
    public static XElement Closed() => new(ClosedName);

    /// <summary>Builds an <c>offer</c> element.</summary>
    /// <param name="offer">The offer.</param>
    public static XElement Offer(XtlsOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var element = new XElement(OfferName);
        if (offer.Fingerprint is not null)
        {
            element.Add(new XElement(KeyInfoName, new XElement(KeyNameName, offer.Fingerprint)));
        }

        if (offer.Srp)
        {
            element.Add(new XElement(SrpName));
        }

        return element;
    }

    /// <summary>Reads the offer inside a <c>start</c> or <c>proceed</c>, if there is one.</summary>
    /// <param name="startOrProceed">The <c>start</c> or <c>proceed</c> element.</param>
    /// <returns>The offer, or <c>null</c> when the element carries none.</returns>
    /// <exception cref="XtlsFormatException">The element or its offer is malformed or exceeds a bound.</exception>
    public static XtlsOffer? ReadOffer(XElement startOrProceed)
    {
        ArgumentNullException.ThrowIfNull(startOrProceed);
        XElement? found = null;
        foreach (XElement child in BoundedChildren(startOrProceed))
        {
            if (child.Name == OfferName)
            {
                if (found is not null)
                {
                    throw new XtlsFormatException("More than one offer.");
                }

                found = child;
            }
        }

        return found is null ? null : ParseOffer(found);
    }

    /// <summary>Parses an <c>offer</c> element.</summary>
    /// <param name="offer">The element, named <see cref="OfferName"/>.</param>
    /// <exception cref="XtlsFormatException">The offer is malformed or exceeds a bound.</exception>
    public static XtlsOffer ParseOffer(XElement offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.Name != OfferName)
        {
            throw new XtlsFormatException($"Expected an offer, found '{offer.Name.LocalName}'.");
        }

        string? fingerprint = null;
        bool keyInfoSeen = false;
        bool srp = false;
        foreach (XElement child in BoundedChildren(offer))
        {
            if (child.Name == KeyInfoName)
            {
                if (keyInfoSeen)
                {
                    throw new XtlsFormatException("More than one keyinfo in an offer.");
                }

                keyInfoSeen = true;
                fingerprint = ReadKeyName(child);
            }
            else if (child.Name == SrpName)
            {
                srp = true;
            }
        }

        try
        {
            return new XtlsOffer(fingerprint, srp);
        }
        catch (ArgumentException e)
        {
            throw new XtlsFormatException(e.Message, e);
        }
    }

    /// <summary>The <c>method</c> attribute of a <c>data</c> element, or <c>null</c> when absent.</summary>
    /// <param name="data">The <c>data</c> element.</param>
    public static string? ReadMethod(XElement data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Attribute(MethodAttribute)?.Value;
    }

    /// <summary>Decodes the Base64 payload of a <c>data</c> element.</summary>
    /// <param name="data">The <c>data</c> element.</param>
    /// <param name="maxDecodedBytes">The most bytes the payload may decode to.</param>
    /// <exception cref="XtlsBase64Exception">The text is too long or not valid Base64.</exception>
    /// <exception cref="XtlsFormatException">The element has child elements.</exception>
    public static byte[] ReadData(XElement data, int maxDecodedBytes)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.HasElements)
        {
            throw new XtlsFormatException("A data element holds text only, no child elements.");
        }

        return XtlsBase64.Decode(data.Value, maxDecodedBytes);
    }

    /// <summary>
    /// Checks a <c>data</c> element whose text arrived as bytes (<paramref name="text"/>) and decodes it, with the
    /// rules of <see cref="ReadData(XElement, int)"/>.
    /// </summary>
    /// <param name="data">The <c>data</c> element, without its text.</param>
    /// <param name="text">The element's text as ASCII bytes.</param>
    /// <param name="maxDecodedBytes">The most bytes the payload may decode to.</param>
    /// <exception cref="XtlsBase64Exception">The text is too long or not valid Base64.</exception>
    /// <exception cref="XtlsFormatException">The element has child elements.</exception>
    public static byte[] ReadData(XElement data, ReadOnlySpan<byte> text, int maxDecodedBytes)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.HasElements)
        {
            throw new XtlsFormatException("A data element holds text only, no child elements.");
        }

        return XtlsBase64.Decode(text, maxDecodedBytes);
    }

    /// <summary>
    /// The <c>data</c> element as a host's binary payload element: its Base64 text is delivered as bytes when it
    /// holds only <see cref="XtlsBase64.TextCharacters"/> and is no longer than a chunk of
    /// <paramref name="maxDecodedBytes"/> may be (anything else reaches the plugin as text and meets the same checks).
    /// </summary>
    /// <param name="maxDecodedBytes">The most bytes a chunk may decode to.</param>
    public static BinaryPayloadElement DataPayloadElement(int maxDecodedBytes) =>
        new(DataName, XtlsBase64.GetMaxTextLength(maxDecodedBytes), XtlsBase64.TextCharacters);

    /// <summary>Builds <c>&lt;data/&gt;</c> without its text, for a payload written as bytes next to it.</summary>
    /// <param name="method">The TLS method for the initiator's first chunk, otherwise <c>null</c>.</param>
    public static XElement DataEnvelope(string? method = null)
    {
        var data = new XElement(DataName);
        if (method is not null)
        {
            data.SetAttributeValue(MethodAttribute, method);
        }

        return data;
    }

    private static XElement WithOffer(XName name, XtlsOffer? offer) =>
        offer is null ? new XElement(name) : new XElement(name, Offer(offer));

    private static string? ReadKeyName(XElement keyInfo)
    {
        XElement? name = null;
        foreach (XElement child in BoundedChildren(keyInfo))
        {
            if (child.Name == KeyNameName)
            {
                if (name is not null)
                {
                    throw new XtlsFormatException("More than one name in a keyinfo.");
                }

                name = child;
            }
        }

        if (name is null)
        {
            return null;
        }

        if (name.HasElements)
        {
            throw new XtlsFormatException("A keyinfo name holds text only.");
        }

        string raw = name.Value;
        if (raw.Length > 2 * XtlsOffer.MaxFingerprintLength)
        {
            throw new XtlsFormatException($"A fingerprint is longer than {XtlsOffer.MaxFingerprintLength} characters.");
        }

        string trimmed = raw.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static IEnumerable<XElement> BoundedChildren(XElement parent)
    {
        int count = 0;
        foreach (XElement child in parent.Elements())
        {
            if (++count > MaxChildren)
            {
                throw new XtlsFormatException($"'{parent.Name.LocalName}' has more than {MaxChildren} child elements.");
            }

            yield return child;
        }
    }
}
