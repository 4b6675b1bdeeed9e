using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// Stanza errors that answer this side's XTLS IQs: read with the host's tolerant reader, their text
/// bounded (it ends up in logs and tunnel end details), and described for those details.
/// </summary>
internal static class PeerErrors
{
    /// <summary>The longest error text kept from the wire.</summary>
    public const int MaxTextLength = 512;

    private static readonly StanzaError Undefined = new(StanzaErrorType.Cancel, StanzaErrorConditions.UndefinedCondition);

    /// <summary>
    /// The error of an IQ of type <c>error</c>. What is missing or unknown reads as <c>cancel</c> /
    /// <c>undefined-condition</c>, so a failure is never taken for success or for a retryable <c>wait</c>.
    /// </summary>
    public static StanzaError Read(XElement errorIq)
    {
        StanzaError? error;
        try
        {
            error = StanzaError.FromStanza(errorIq);
        }
        catch (ArgumentException)
        {
            // Only a stanza built in memory with characters XML cannot carry gets here; parsed ones cannot.
            return Undefined;
        }

        if (error is null)
        {
            return Undefined;
        }

        return error.Text is { Length: > MaxTextLength } text ? error with { Text = Truncate(text) } : error;
    }

    /// <summary>
    /// Whether the error says the peer, or the way to it, is gone: <c>recipient-unavailable</c>,
    /// <c>service-unavailable</c> (what a server answers for an offline full JID), or its server could
    /// not be found or reached.
    /// </summary>
    public static bool MeansPeerGone(StanzaError error) =>
        error.Condition is StanzaErrorConditions.RecipientUnavailable
            or StanzaErrorConditions.ServiceUnavailable
            or StanzaErrorConditions.RemoteServerNotFound
            or StanzaErrorConditions.RemoteServerTimeout;

    /// <summary>The condition and type, then the text if any: <c>item-not-found (cancel): No tunnel.</c></summary>
    public static string Describe(StanzaError error)
    {
        // The enum's names are the wire names, capitalised.
        string type = error.Type.ToString().ToLowerInvariant();
        return error.Text is null ? $"{error.Condition} ({type})" : $"{error.Condition} ({type}): {error.Text}";
    }

    // Never cut between the halves of a surrogate pair: a lone half is not text XML can carry.
    private static string Truncate(string text) =>
        char.IsHighSurrogate(text[MaxTextLength - 1]) ? text[..(MaxTextLength - 1)] : text[..MaxTextLength];
}
