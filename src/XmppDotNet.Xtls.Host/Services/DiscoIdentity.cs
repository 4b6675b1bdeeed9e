namespace XmppDotNet.Xtls.Host.Services;

/// <summary>One identity in a disco#info answer (XEP-0030 §3.1).</summary>
/// <param name="Category">The category, e.g. <c>client</c>.</param>
/// <param name="Type">The type within the category, e.g. <c>pc</c> or <c>phone</c>.</param>
/// <param name="Name">The human-readable name, or <c>null</c>.</param>
/// <param name="Lang">The <c>xml:lang</c> of the name, or <c>null</c>.</param>
public sealed record DiscoIdentity(string Category, string Type, string? Name = null, string? Lang = null);
