using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Xml;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>
/// Turns the decrypted side of one tunnel, split anywhere, into stanzas (sans-IO: no I/O, no clock, no
/// events). The stream is a bare sequence of <c>jabber:client</c> message, presence and iq elements;
/// anything else fails the decoder. A stanza whose <c>from</c> is not the tunnel's peer, or whose
/// <c>to</c> is not this side, is rejected; an accepted one has both set to the tunnel's ends, since the
/// routing travelled in the outer IQ.
/// </summary>
/// <remarks>
/// Only the bytes of the element being received are buffered, never more than the maximum stanza size.
/// Not thread-safe: one decoder per tunnel, used from one thread at a time.
/// </remarks>
internal sealed class InnerStanzaDecoder
{
    private readonly XmlStreamParser _parser;
    private readonly List<object> _parsed = [];

    /// <summary>Creates a decoder for one tunnel.</summary>
    /// <param name="remote">The tunnel's peer: the only sender accepted.</param>
    /// <param name="local">This side: the only recipient accepted.</param>
    /// <param name="maxStanzaBytes">The largest stanza accepted, in UTF-8 bytes including its tags.</param>
    /// <exception cref="ArgumentNullException">A JID is <c>null</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxStanzaBytes"/> is not positive.</exception>
    public InnerStanzaDecoder(Jid remote, Jid local, int maxStanzaBytes)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxStanzaBytes);
        Remote = remote;
        Local = local;
        MaxStanzaBytes = maxStanzaBytes;
        _parser = new XmlStreamParser(new XmlStreamParserOptions
        {
            ExpectStreamHeader = false,
            DefaultNamespace = XmppNamespaces.Client,
            MaxStanzaBytes = maxStanzaBytes,
        });
    }

    /// <summary>The tunnel's peer.</summary>
    public Jid Remote { get; }

    /// <summary>This side of the tunnel.</summary>
    public Jid Local { get; }

    /// <summary>The largest stanza accepted, in bytes; also the most <see cref="BufferedBytes"/> ever holds.</summary>
    public int MaxStanzaBytes { get; }

    /// <summary>The bytes held for a stanza that has not ended yet.</summary>
    public int BufferedBytes => _parser.BufferedBytes;

    /// <summary>The failure, once the decoder failed; from then on it accepts nothing.</summary>
    public InnerStanzaFailed? Failure { get; private set; }

    /// <summary>
    /// Consumes the next decrypted bytes and appends, in order, a result for each element they complete:
    /// accepted and rejected stanzas, and at most one failure, which is the last result the decoder ever gives.
    /// After a failure the bytes are ignored and nothing is appended.
    /// </summary>
    /// <param name="plaintext">The next bytes of the stream, in any split.</param>
    /// <param name="results">Receives the results.</param>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is <c>null</c>.</exception>
    public void Decode(ReadOnlySpan<byte> plaintext, ICollection<InnerStanzaResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (Failure is not null)
        {
            return;
        }

        XmlStreamException? fault = null;
        try
        {
            _parser.Parse(plaintext, _parsed);
        }
        catch (XmlStreamException e)
        {
            // The elements completed before the bad byte are still judged, so the outcome does not depend on the split.
            fault = e;
        }

        try
        {
            foreach (object item in _parsed)
            {
                InnerStanzaResult result = Judge(item);
                if (result is InnerStanzaFailed failed)
                {
                    Fail(failed, results);
                    return;
                }

                results.Add(result);
            }
        }
        finally
        {
            _parsed.Clear();
        }

        if (fault is not null)
        {
            TunnelCloseReason reason = fault.Condition == StreamErrorConditions.PolicyViolation ? TunnelCloseReason.LimitExceeded : TunnelCloseReason.InnerXmlError;
            Fail(new InnerStanzaFailed(reason, $"{fault.Condition}: {fault.Message}"), results);
        }
    }

    private static bool AddressIs(XElement stanza, string attribute, Jid expected)
    {
        string? value = (string?)stanza.Attribute(attribute);
        return value is null || (Jid.TryParse(value, out Jid? jid) && jid == expected);
    }

    private InnerStanzaResult Judge(object item)
    {
        if (item is not XElement stanza
            || stanza.Name.Namespace != XmppNamespaces.Client
            || stanza.Name.LocalName is not ("message" or "presence" or "iq"))
        {
            string what = item is XElement other ? other.Name.ToString() : item.GetType().Name;
            return new InnerStanzaFailed(TunnelCloseReason.InnerXmlError, $"'{what}' is not a jabber:client stanza");
        }

        if (!AddressIs(stanza, "from", Remote))
        {
            return new InnerStanzaRejected(XtlsRejection.SpoofedSender, stanza.Name.LocalName);
        }

        if (!AddressIs(stanza, "to", Local))
        {
            return new InnerStanzaRejected(XtlsRejection.WrongRecipient, stanza.Name.LocalName);
        }

        stanza.SetAttributeValue("from", Remote.ToString());
        stanza.SetAttributeValue("to", Local.ToString());
        return new InnerStanzaAccepted(stanza);
    }

    private void Fail(InnerStanzaFailed failure, ICollection<InnerStanzaResult> results)
    {
        Failure = failure;

        // Whatever part of an element is held would never be used: it goes now (a faulted parser holds none already).
        _parser.Reset();
        results.Add(failure);
    }
}
