using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// The chat's promise that no message leaves in the clear: placed between the two XTLS handlers, it sees
/// every stanza the tunnel did not take (XTLS sends a stanza to a peer without a tunnel unencrypted, for
/// example after the tunnel broke) and fails the write of any <c>message</c> among them.
/// </summary>
internal sealed class ClearTextGuard : ChannelHandlerAdapter
{
    /// <summary>The handler's name in the pipeline.</summary>
    public const string Name = "xtls-demo-cleartext-guard";

    /// <inheritdoc />
    public override bool IsSharable => true;

    /// <inheritdoc />
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (message is XElement { Name.LocalName: "message" } stanza && stanza.Name.Namespace == XmppNamespaces.Client)
        {
            return Task.FromException(new InvalidOperationException("the tunnel is gone, and the chat never sends a message in the clear"));
        }

        return context.WriteAsync(message);
    }
}
