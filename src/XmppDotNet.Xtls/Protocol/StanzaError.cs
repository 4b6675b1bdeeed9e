namespace XmppDotNet.Xtls.Protocol;

/// <summary>A stanza error (RFC 6120 section 8.3): its defined condition, its type and an optional text.</summary>
/// <param name="Condition">The defined condition, e.g. <c>item-not-found</c>.</param>
/// <param name="Type">The error type: <c>auth</c>, <c>cancel</c>, <c>continue</c>, <c>modify</c> or <c>wait</c>.</param>
/// <param name="Text">A description for humans, or <c>null</c>.</param>
internal sealed record StanzaError(string Condition, string Type, string? Text)
{
    public const string Cancel = "cancel";
    public const string Modify = "modify";
    public const string Wait = "wait";

    public const string BadRequest = "bad-request";
    public const string Conflict = "conflict";
    public const string FeatureNotImplemented = "feature-not-implemented";
    public const string ItemNotFound = "item-not-found";
    public const string NotAcceptable = "not-acceptable";
    public const string PolicyViolation = "policy-violation";
    public const string RecipientUnavailable = "recipient-unavailable";
    public const string RemoteServerNotFound = "remote-server-not-found";
    public const string RemoteServerTimeout = "remote-server-timeout";
    public const string ResourceConstraint = "resource-constraint";
    public const string ServiceUnavailable = "service-unavailable";
    public const string UndefinedCondition = "undefined-condition";
    public const string UnexpectedRequest = "unexpected-request";

    /// <summary>Whether the error is of type <c>wait</c>: the request may succeed if retried later.</summary>
    public bool IsWait => string.Equals(Type, Wait, StringComparison.Ordinal);

    /// <summary>The condition and type, then the text if any, for logs and tunnel end details.</summary>
    public override string ToString() => Text is null ? $"{Condition} ({Type})" : $"{Condition} ({Type}): {Text}";
}
