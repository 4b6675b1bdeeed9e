namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The SASL failure conditions of RFC 6120 §6.5, as the element names sent in <c>&lt;failure/&gt;</c>.</summary>
public static class SaslConditions
{
    /// <summary>The receiving entity acknowledges that the exchange was aborted by the initiating entity.</summary>
    public const string Aborted = "aborted";

    /// <summary>The account has been disabled.</summary>
    public const string AccountDisabled = "account-disabled";

    /// <summary>The credentials have expired.</summary>
    public const string CredentialsExpired = "credentials-expired";

    /// <summary>The mechanism requires an encrypted stream.</summary>
    public const string EncryptionRequired = "encryption-required";

    /// <summary>The data was not valid Base64.</summary>
    public const string IncorrectEncoding = "incorrect-encoding";

    /// <summary>The authorization identity is invalid or not permitted.</summary>
    public const string InvalidAuthzid = "invalid-authzid";

    /// <summary>The mechanism is not supported.</summary>
    public const string InvalidMechanism = "invalid-mechanism";

    /// <summary>The request is malformed.</summary>
    public const string MalformedRequest = "malformed-request";

    /// <summary>The mechanism is weaker than the server's policy allows.</summary>
    public const string MechanismTooWeak = "mechanism-too-weak";

    /// <summary>The credentials are wrong (the usual outcome of a failed authentication).</summary>
    public const string NotAuthorized = "not-authorized";

    /// <summary>A temporary error inside the receiving entity; retrying later may succeed.</summary>
    public const string TemporaryAuthFailure = "temporary-auth-failure";

    private static readonly HashSet<string> Defined = new(StringComparer.Ordinal)
    {
        Aborted, AccountDisabled, CredentialsExpired, EncryptionRequired, IncorrectEncoding, InvalidAuthzid,
        InvalidMechanism, MalformedRequest, MechanismTooWeak, NotAuthorized, TemporaryAuthFailure,
    };

    /// <summary>Whether a name is one of the conditions RFC 6120 defines.</summary>
    public static bool IsDefined(string? condition) => condition is not null && Defined.Contains(condition);
}
