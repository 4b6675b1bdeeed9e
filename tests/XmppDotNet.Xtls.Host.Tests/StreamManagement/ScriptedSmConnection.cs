using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host.Sasl;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>One connection to the <see cref="ScriptedSmServer"/>: SCRAM, bind or resume, stream management.</summary>
internal sealed class ScriptedSmConnection(ScriptedSmServer server) : ChannelHandlerAdapter
{
    private static readonly XName Features = XName.Get("features", XmppNamespaces.Streams);
    private ScramServerConversation? _scram;
    private bool _authenticated;
    private bool _online;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        switch (message)
        {
            case StreamHeader:
                _ = context.WriteAsync(new StreamHeader(ScriptedSmServer.Domain, null, RandomNumberGenerator.GetHexString(8), "1.0", "en", XmppNamespaces.Client));
                _ = context.WriteAndFlushAsync(_authenticated
                    ? new XElement(
                        Features,
                        new XElement(XName.Get("bind", XmppNamespaces.Bind)),
                        server.OfferStreamManagement ? new XElement(XName.Get("sm", XmppNamespaces.StreamManagement)) : null)
                    : new XElement(Features, new XElement(XName.Get("mechanisms", XmppNamespaces.Sasl), new XElement(XName.Get("mechanism", XmppNamespaces.Sasl), "SCRAM-SHA-256"))));
                break;
            case StreamFooter:
                _ = context.WriteAndFlushAsync(StreamFooter.Instance);
                _ = context.CloseAsync();
                break;
            case XElement sasl when sasl.Name.Namespace == XmppNamespaces.Sasl:
                Authenticate(context, sasl);
                break;
            case XElement error when error.Name == XName.Get("error", XmppNamespaces.Streams):
                server.StreamErrors.Enqueue(error);
                break;
            case XElement sm when sm.Name.Namespace == XmppNamespaces.StreamManagement:
                server.Management.Enqueue(sm);
                _ = OnStreamManagementAsync(context, sm);
                break;
            case XElement iq when !_online && iq.Name.LocalName == "iq":
                _online = true;
                var jid = new XElement(XName.Get("jid", XmppNamespaces.Bind), $"{ScriptedSmServer.User}@{ScriptedSmServer.Domain}/orchard");
                _ = context.WriteAndFlushAsync(new XElement(
                    XName.Get("iq", XmppNamespaces.Client),
                    new XAttribute("type", "result"),
                    new XAttribute("id", Stanza.GetId(iq)!),
                    new XElement(XName.Get("bind", XmppNamespaces.Bind), jid)));
                break;
            case XElement stanza when stanza.Name.Namespace == XmppNamespaces.Client:
                server.OnStanza(stanza);
                break;
        }
    }

    private async Task OnStreamManagementAsync(IChannelHandlerContext context, XElement element)
    {
        switch (element.Name.LocalName)
        {
            case "enable":
                server.Enabled = true;
                server.Handled = 0;
                _ = context.WriteAndFlushAsync(server.EnabledAnswer?.Invoke() ?? new XElement(
                    XName.Get("enabled", XmppNamespaces.StreamManagement),
                    new XAttribute("id", server.ResumeId),
                    server.GrantResume ? new XAttribute("resume", "true") : null));
                break;
            case "r" when !server.IgnoreAckRequests:
                _ = context.WriteAndFlushAsync(new XElement(XName.Get("a", XmppNamespaces.StreamManagement), new XAttribute("h", server.Handled.ToString(CultureInfo.InvariantCulture))));
                break;
            case "resume":
                await server.ResumeGate;
                if (server.CutOnResume)
                {
                    Interlocked.Increment(ref server.Resumptions);
                    _ = context.CloseAsync();
                    return;
                }

                XElement answer = server.AnswerResume(element);
                _online = answer.Name.LocalName == "resumed";
                _ = context.WriteAndFlushAsync(answer);
                break;
        }
    }

    private void Authenticate(IChannelHandlerContext context, XElement element)
    {
        if (element.Name.LocalName == "auth")
        {
            _scram = new ScramServerConversation(ScramHash.Sha256, user => user == ScriptedSmServer.User ? server.Credentials : null);
            byte[] first = _scram.HandleClientFirst(SaslPayload.Decode(element.Value));
            _ = context.WriteAndFlushAsync(new XElement(XName.Get("challenge", XmppNamespaces.Sasl), Convert.ToBase64String(first)));
            return;
        }

        byte[] final = _scram!.HandleClientFinal(SaslPayload.Decode(element.Value));
        _authenticated = true;
        _ = context.WriteAndFlushAsync(new XElement(XName.Get("success", XmppNamespaces.Sasl), Convert.ToBase64String(final)));
        if (context.Channel.Pipeline.Get("xml-decoder") is XmlStreamDecoder decoder)
        {
            decoder.Reset();
        }
    }
}
