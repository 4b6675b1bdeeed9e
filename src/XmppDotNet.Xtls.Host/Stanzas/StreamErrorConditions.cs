namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>The stream error conditions of RFC 6120 §4.9.3, as element names in <c>urn:ietf:params:xml:ns:xmpp-streams</c>.</summary>
public static class StreamErrorConditions
{
    /// <summary>The entity sent XML that cannot be processed.</summary>
    public const string BadFormat = "bad-format";

    /// <summary>An unsupported or undeclared namespace prefix was used.</summary>
    public const string BadNamespacePrefix = "bad-namespace-prefix";

    /// <summary>A new stream for the same entity replaces this one.</summary>
    public const string Conflict = "conflict";

    /// <summary>The peer has not generated traffic for too long.</summary>
    public const string ConnectionTimeout = "connection-timeout";

    /// <summary>The host the stream was opened to no longer exists here.</summary>
    public const string HostGone = "host-gone";

    /// <summary>The host the stream was opened to is not served here.</summary>
    public const string HostUnknown = "host-unknown";

    /// <summary>A stanza lacks a required from or to address.</summary>
    public const string ImproperAddressing = "improper-addressing";

    /// <summary>The server had an internal error.</summary>
    public const string InternalServerError = "internal-server-error";

    /// <summary>A from address does not match an authenticated identity.</summary>
    public const string InvalidFrom = "invalid-from";

    /// <summary>The stream or content namespace is wrong.</summary>
    public const string InvalidNamespace = "invalid-namespace";

    /// <summary>The XML failed validation.</summary>
    public const string InvalidXml = "invalid-xml";

    /// <summary>Data was sent before the stream was authenticated.</summary>
    public const string NotAuthorized = "not-authorized";

    /// <summary>The data is not well-formed XML.</summary>
    public const string NotWellFormed = "not-well-formed";

    /// <summary>A local service policy was violated (for example a stanza size limit).</summary>
    public const string PolicyViolation = "policy-violation";

    /// <summary>A remote connection needed for authentication or authorization failed.</summary>
    public const string RemoteConnectionFailed = "remote-connection-failed";

    /// <summary>The stream must be restarted (for example after new security policies).</summary>
    public const string Reset = "reset";

    /// <summary>The server lacks the resources to serve the stream.</summary>
    public const string ResourceConstraint = "resource-constraint";

    /// <summary>XML features XMPP restricts (comments, processing instructions, DTDs, entity references) were used.</summary>
    public const string RestrictedXml = "restricted-xml";

    /// <summary>Reconnect to another host, given as the condition's character data.</summary>
    public const string SeeOtherHost = "see-other-host";

    /// <summary>The server is shutting down.</summary>
    public const string SystemShutdown = "system-shutdown";

    /// <summary>None of the other conditions (and the fallback for unknown ones).</summary>
    public const string UndefinedCondition = "undefined-condition";

    /// <summary>The stream uses an encoding other than UTF-8.</summary>
    public const string UnsupportedEncoding = "unsupported-encoding";

    /// <summary>A mandatory-to-negotiate feature is not supported by the receiving entity.</summary>
    public const string UnsupportedFeature = "unsupported-feature";

    /// <summary>A first-level child of the stream is not a supported stanza.</summary>
    public const string UnsupportedStanzaType = "unsupported-stanza-type";

    /// <summary>The stream version is not supported.</summary>
    public const string UnsupportedVersion = "unsupported-version";

    /// <summary>All conditions RFC 6120 defines, in the order of §4.9.3.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        BadFormat, BadNamespacePrefix, Conflict, ConnectionTimeout, HostGone, HostUnknown, ImproperAddressing,
        InternalServerError, InvalidFrom, InvalidNamespace, InvalidXml, NotAuthorized, NotWellFormed,
        PolicyViolation, RemoteConnectionFailed, Reset, ResourceConstraint, RestrictedXml, SeeOtherHost,
        SystemShutdown, UndefinedCondition, UnsupportedEncoding, UnsupportedFeature, UnsupportedStanzaType,
        UnsupportedVersion,
    ];

    private static readonly HashSet<string> Defined = new(All, StringComparer.Ordinal);

    /// <summary>Whether a name is one of the conditions RFC 6120 defines.</summary>
    public static bool IsDefined(string? condition) => condition is not null && Defined.Contains(condition);
}
