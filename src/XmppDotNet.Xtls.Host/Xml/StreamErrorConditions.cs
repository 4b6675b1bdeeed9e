namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>The defined conditions of stream errors (RFC 6120 §4.9.3), as element names in <see cref="XmppNamespaces.StreamErrors"/>.</summary>
public static class StreamErrorConditions
{
    /// <summary>The entity has sent XML that cannot be processed.</summary>
    public const string BadFormat = "bad-format";

    /// <summary>The entity has sent a namespace prefix that is unsupported, or no prefix where one is needed.</summary>
    public const string BadNamespacePrefix = "bad-namespace-prefix";

    /// <summary>The server is closing this stream because a new stream conflicts with it.</summary>
    public const string Conflict = "conflict";

    /// <summary>One party is closing the stream because it has not heard from the other for too long.</summary>
    public const string ConnectionTimeout = "connection-timeout";

    /// <summary>The FQDN in the 'to' address of the stream header no longer belongs to the server.</summary>
    public const string HostGone = "host-gone";

    /// <summary>The FQDN in the 'to' address of the stream header is not served by the server.</summary>
    public const string HostUnknown = "host-unknown";

    /// <summary>A stanza lacks a 'to' or 'from' address where one is required, or the address is malformed.</summary>
    public const string ImproperAddressing = "improper-addressing";

    /// <summary>The server has a misconfiguration or another internal error.</summary>
    public const string InternalServerError = "internal-server-error";

    /// <summary>The data in a 'from' address does not match an authorized address of the peer.</summary>
    public const string InvalidFrom = "invalid-from";

    /// <summary>The stream namespace or the content namespace is not the one expected.</summary>
    public const string InvalidNamespace = "invalid-namespace";

    /// <summary>The entity has sent invalid XML over the stream.</summary>
    public const string InvalidXml = "invalid-xml";

    /// <summary>The entity has attempted to send data before authenticating.</summary>
    public const string NotAuthorized = "not-authorized";

    /// <summary>The entity has sent XML that violates XML well-formedness (or namespace well-formedness).</summary>
    public const string NotWellFormed = "not-well-formed";

    /// <summary>The entity has violated a local service policy, for example a size or nesting limit.</summary>
    public const string PolicyViolation = "policy-violation";

    /// <summary>The server cannot connect to a remote entity needed for authentication or authorization.</summary>
    public const string RemoteConnectionFailed = "remote-connection-failed";

    /// <summary>The server is closing the stream because it has new features to offer or its security context changed.</summary>
    public const string Reset = "reset";

    /// <summary>The server lacks the resources needed to service the stream.</summary>
    public const string ResourceConstraint = "resource-constraint";

    /// <summary>The entity has sent restricted XML: a comment, processing instruction, DTD subset or unpredefined entity reference.</summary>
    public const string RestrictedXml = "restricted-xml";

    /// <summary>The server will not provide service and redirects the client to another host.</summary>
    public const string SeeOtherHost = "see-other-host";

    /// <summary>The server is being shut down.</summary>
    public const string SystemShutdown = "system-shutdown";

    /// <summary>The error condition is not one of those defined.</summary>
    public const string UndefinedCondition = "undefined-condition";

    /// <summary>The stream is encoded in an encoding other than UTF-8.</summary>
    public const string UnsupportedEncoding = "unsupported-encoding";

    /// <summary>The receiving entity advertised a mandatory feature the initiating entity does not support.</summary>
    public const string UnsupportedFeature = "unsupported-feature";

    /// <summary>The entity has sent a first-level child of the stream that the server does not support.</summary>
    public const string UnsupportedStanzaType = "unsupported-stanza-type";

    /// <summary>The 'version' of the stream header is not supported.</summary>
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
