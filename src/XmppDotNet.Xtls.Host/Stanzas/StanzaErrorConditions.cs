namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>
/// The stanza error conditions of RFC 6120 §8.3.3, as element names in
/// <c>urn:ietf:params:xml:ns:xmpp-stanzas</c>, with the error type the RFC recommends for each.
/// </summary>
public static class StanzaErrorConditions
{
    /// <summary>The request is malformed or otherwise cannot be processed.</summary>
    public const string BadRequest = "bad-request";

    /// <summary>A resource or session with the same name already exists, or two requests clash.</summary>
    public const string Conflict = "conflict";

    /// <summary>The feature is not implemented by the recipient or server.</summary>
    public const string FeatureNotImplemented = "feature-not-implemented";

    /// <summary>The sender lacks the permissions to perform the action.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The recipient no longer exists at this address (an alternate address may be given).</summary>
    public const string Gone = "gone";

    /// <summary>The server had an internal error.</summary>
    public const string InternalServerError = "internal-server-error";

    /// <summary>The addressed item or JID cannot be found.</summary>
    public const string ItemNotFound = "item-not-found";

    /// <summary>The address does not adhere to RFC 7622.</summary>
    public const string JidMalformed = "jid-malformed";

    /// <summary>The recipient understands the request but will not process it.</summary>
    public const string NotAcceptable = "not-acceptable";

    /// <summary>The recipient does not allow anyone to perform the action.</summary>
    public const string NotAllowed = "not-allowed";

    /// <summary>The sender must authenticate first.</summary>
    public const string NotAuthorized = "not-authorized";

    /// <summary>The sender violated a local service policy.</summary>
    public const string PolicyViolation = "policy-violation";

    /// <summary>The intended recipient is temporarily unavailable.</summary>
    public const string RecipientUnavailable = "recipient-unavailable";

    /// <summary>The recipient is now at another address (given as the condition's data).</summary>
    public const string Redirect = "redirect";

    /// <summary>The sender must register first.</summary>
    public const string RegistrationRequired = "registration-required";

    /// <summary>The remote server does not exist or cannot be resolved.</summary>
    public const string RemoteServerNotFound = "remote-server-not-found";

    /// <summary>The remote server could not be reached in time.</summary>
    public const string RemoteServerTimeout = "remote-server-timeout";

    /// <summary>The recipient or server lacks the resources to serve the request.</summary>
    public const string ResourceConstraint = "resource-constraint";

    /// <summary>The recipient or server does not provide the service (also the answer to an IQ for an offline full JID).</summary>
    public const string ServiceUnavailable = "service-unavailable";

    /// <summary>The sender needs a presence subscription first.</summary>
    public const string SubscriptionRequired = "subscription-required";

    /// <summary>None of the other conditions (and the fallback for unknown ones).</summary>
    public const string UndefinedCondition = "undefined-condition";

    /// <summary>The request was unexpected in the current state (for example out of order).</summary>
    public const string UnexpectedRequest = "unexpected-request";

    private static readonly Dictionary<string, StanzaErrorType> RecommendedTypes = new(StringComparer.Ordinal)
    {
        [BadRequest] = StanzaErrorType.Modify,
        [Conflict] = StanzaErrorType.Cancel,
        [FeatureNotImplemented] = StanzaErrorType.Cancel,
        [Forbidden] = StanzaErrorType.Auth,
        [Gone] = StanzaErrorType.Cancel,
        [InternalServerError] = StanzaErrorType.Cancel,
        [ItemNotFound] = StanzaErrorType.Cancel,
        [JidMalformed] = StanzaErrorType.Modify,
        [NotAcceptable] = StanzaErrorType.Modify,
        [NotAllowed] = StanzaErrorType.Cancel,
        [NotAuthorized] = StanzaErrorType.Auth,
        [PolicyViolation] = StanzaErrorType.Modify,
        [RecipientUnavailable] = StanzaErrorType.Wait,
        [Redirect] = StanzaErrorType.Modify,
        [RegistrationRequired] = StanzaErrorType.Auth,
        [RemoteServerNotFound] = StanzaErrorType.Cancel,
        [RemoteServerTimeout] = StanzaErrorType.Wait,
        [ResourceConstraint] = StanzaErrorType.Wait,
        [ServiceUnavailable] = StanzaErrorType.Cancel,
        [SubscriptionRequired] = StanzaErrorType.Auth,

        // Any type may be used; RFC 6120's example uses modify.
        [UndefinedCondition] = StanzaErrorType.Modify,
        [UnexpectedRequest] = StanzaErrorType.Wait,
    };

    /// <summary>All conditions RFC 6120 defines, in the order of §8.3.3.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        BadRequest, Conflict, FeatureNotImplemented, Forbidden, Gone, InternalServerError, ItemNotFound,
        JidMalformed, NotAcceptable, NotAllowed, NotAuthorized, PolicyViolation, RecipientUnavailable,
        Redirect, RegistrationRequired, RemoteServerNotFound, RemoteServerTimeout, ResourceConstraint,
        ServiceUnavailable, SubscriptionRequired, UndefinedCondition, UnexpectedRequest,
    ];

    /// <summary>Whether a name is one of the conditions RFC 6120 defines.</summary>
    public static bool IsDefined(string? condition) => condition is not null && RecommendedTypes.ContainsKey(condition);

    /// <summary>Whether the condition carries an alternate address as its character data (gone, redirect).</summary>
    public static bool CarriesAddress(string condition) => condition is Gone or Redirect;

    internal static bool TryGetRecommendedType(string condition, out StanzaErrorType type) =>
        RecommendedTypes.TryGetValue(condition, out type);
}
