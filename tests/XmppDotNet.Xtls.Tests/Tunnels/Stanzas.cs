using System.Xml.Linq;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>Hand-written IQs for single-manager tests.</summary>
internal static class Stanzas
{
    public const string Xtls = "urn:xmpp:tmp:xtls";
    public const string Client = "jabber:client";
    public const string Errors = "urn:ietf:params:xml:ns:xmpp-stanzas";

    public static XElement Iq(string type, string id, string from, string to, string inner = "") =>
        XElement.Parse($"<iq xmlns='{Client}' type='{type}' id='{id}' from='{from}' to='{to}'>{inner}</iq>");

    public static XElement Start(string id, string from, string to, string inner = "") =>
        Iq("set", id, from, to, $"<start xmlns='{Xtls}'>{inner}</start>");

    public static XElement Data(string id, string from, string to, string base64, string? method = null) =>
        Iq("set", id, from, to, method is null
            ? $"<data xmlns='{Xtls}'>{base64}</data>"
            : $"<data xmlns='{Xtls}' method='{method}'>{base64}</data>");

    public static XElement Close(string id, string from, string to) => Iq("set", id, from, to, $"<close xmlns='{Xtls}'/>");

    public static XElement Result(XElement request, string inner = "") =>
        Iq("result", Id(request), To(request), From(request), inner);

    public static XElement Error(XElement request, string condition, string type = "cancel", string? from = null) =>
        Iq("error", Id(request), from ?? To(request), From(request), $"<error type='{type}'><{condition} xmlns='{Errors}'/></error>");

    public static string Id(XElement iq) => (string)iq.Attribute("id")!;

    public static string Type(XElement iq) => (string)iq.Attribute("type")!;

    public static string From(XElement iq) => (string)iq.Attribute("from")!;

    public static string To(XElement iq) => (string)iq.Attribute("to")!;

    /// <summary>The XTLS child's local name, or null.</summary>
    public static string? XtlsName(XElement iq) => iq.Elements().FirstOrDefault(e => e.Name.NamespaceName == Xtls)?.Name.LocalName;

    public static XElement? XtlsChild(XElement iq) => iq.Elements().FirstOrDefault(e => e.Name.NamespaceName == Xtls);

    /// <summary>The defined condition of an IQ-error, or null.</summary>
    public static string? ErrorCondition(XElement iq) =>
        iq.Element(XName.Get("error", Client))?.Elements().FirstOrDefault(e => e.Name.NamespaceName == Errors && e.Name.LocalName != "text")?.Name.LocalName;

    public static string? ErrorType(XElement iq) => (string?)iq.Element(XName.Get("error", Client))?.Attribute("type");

    public static string? ErrorText(XElement iq) => iq.Element(XName.Get("error", Client))?.Element(XName.Get("text", Errors))?.Value;

    public static bool IsData(XElement iq) => Type(iq) == "set" && XtlsName(iq) == "data";

    public static byte[] DataBytes(XElement iq) => Convert.FromBase64String(XtlsChild(iq)!.Value);

    public static string? Method(XElement iq) => (string?)XtlsChild(iq)!.Attribute("method");
}
