namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>The attributes of the stream header a server sent.</summary>
/// <param name="From">The server's domain.</param>
/// <param name="Id">The stream id.</param>
/// <param name="Version">The XMPP version, "1.0" for RFC 6120 servers.</param>
public sealed record StreamHeader(string? From, string? Id, string? Version);
