using System.Net.Security;
using System.Security.Authentication;

namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>What the client needs to negotiate a stream: account, TLS policy and resource.</summary>
/// <param name="Account">The bare JID of the account.</param>
/// <param name="Password">The account password.</param>
/// <param name="Resource">The resource to ask for, or <c>null</c> to let the server choose.</param>
/// <param name="UseStartTls">Whether STARTTLS is used (and required) on this transport.</param>
/// <param name="TlsHost">The host name the server certificate must be valid for.</param>
/// <param name="CertificateValidation">Validates the server certificate.</param>
/// <param name="TlsProtocols">The TLS versions allowed (<see cref="SslProtocols.None"/>: the system's default, TLS 1.2 and 1.3).</param>
public sealed record NegotiationSettings(
    Jid Account,
    string Password,
    string? Resource,
    bool UseStartTls,
    string TlsHost,
    RemoteCertificateValidationCallback CertificateValidation,
    SslProtocols TlsProtocols);
