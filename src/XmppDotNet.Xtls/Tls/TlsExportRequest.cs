namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// Keying material to derive with the TLS exporter (RFC 8446 7.5, RFC 5705) when the handshake completes: both
/// ends get the same bytes for the same label and context, and nobody else can compute them. Read the result once
/// with <see cref="TlsEngine.TakeExportedKeyingMaterial"/>.
/// </summary>
/// <param name="Label">The exporter label (ASCII), e.g. <c>EXPORTER-XTLS-reopen</c>.</param>
/// <param name="Context">The context value that binds the output to its use.</param>
/// <param name="Length">How many bytes to derive (1 to 255).</param>
public sealed record TlsExportRequest(string Label, ReadOnlyMemory<byte> Context, int Length);
