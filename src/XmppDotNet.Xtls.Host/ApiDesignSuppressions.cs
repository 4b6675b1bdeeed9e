using System.Diagnostics.CodeAnalysis;

// Two constructors of XmppStanzaException take optional parameters. RS0026/RS0027 guard against adding
// such overloads after a release, where they break callers compiled against the old ones; these two
// were there before the first release, so no compiled caller can depend on another shape.
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Part of the first public API; nothing was compiled against another shape.", Scope = "member", Target = "~M:XmppDotNet.Xtls.Host.Stanzas.XmppStanzaException.#ctor(XmppDotNet.Xtls.Host.Stanzas.StanzaError,System.Xml.Linq.XElement,System.String,System.Exception)")]
[assembly: SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "Part of the first public API; nothing was compiled against another shape.", Scope = "member", Target = "~M:XmppDotNet.Xtls.Host.Stanzas.XmppStanzaException.#ctor(XmppDotNet.Xtls.Host.Stanzas.StanzaError,System.Xml.Linq.XElement)")]
