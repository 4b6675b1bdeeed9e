using System.Xml.Linq;
using DotNetty.Transport.Channels;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Pipeline;

/// <summary>
/// The contact layer's place in the pipeline, just above <see cref="XtlsTlsHandler"/>: a message the
/// application writes to a contact's bare JID is fanned out into one copy per resource (see
/// <see cref="XtlsContacts"/>), which go on down to the tunnels; everything else passes unchanged.
/// </summary>
public sealed class XtlsContactHandler : ChannelHandlerAdapter
{
    private readonly XtlsContacts _contacts;
    private readonly ISession _session;

    // The last fan-out per contact still being dispatched, and how many wait behind it: the next one
    // waits for it, so messages to one contact keep their order. Touched on the event loop only; an
    // entry lives while its fan-outs wait for support answers and opens.
    private readonly Dictionary<Jid, (Task Last, int Pending)> _dispatching = [];

    internal XtlsContactHandler(XtlsContacts contacts, ISession session)
    {
        _contacts = contacts;
        _session = session;
    }

    /// <inheritdoc />
    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is XElement stanza
            && Stanza.IsMessage(stanza)
            && !stanza.IsMarkedInClear()
            && Stanza.GetType(stanza) is not ("error" or "groupchat")
            && BareRecipientOf(stanza) is { } contact
            && _contacts.PolicyFor(contact) is var policy and not ContactPolicy.Off)
        {
            return FanOut(context, stanza, contact, policy);
        }

        return context.WriteAsync(message);
    }

    private Task FanOut(IChannelHandlerContext context, XElement stanza, Jid contact, ContactPolicy policy)
    {
        (Task previous, int pending) = _dispatching.TryGetValue(contact, out var queued) ? queued : (Task.CompletedTask, 0);
        if (pending >= _contacts.MaxQueuedFanOuts)
        {
            // Bounded like a tunnel's queue: a contact whose devices are slow to answer cannot pile up messages.
            return Task.FromException(new TunnelBackpressureException(
                $"{pending} messages to {contact} wait to be fanned out to its devices; this one was not sent."));
        }

        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatching[contact] = (dispatched.Task, pending + 1);
        _ = dispatched.Task.ContinueWith(
            t => context.Executor.Execute(() =>
            {
                if (!_dispatching.TryGetValue(contact, out var entry))
                {
                    return;
                }

                if (entry.Pending <= 1)
                {
                    _dispatching.Remove(contact);
                }
                else
                {
                    _dispatching[contact] = (entry.Last, entry.Pending - 1);
                }
            }),
            TaskScheduler.Default);

        return SendAfterAsync(previous, context, stanza, contact, policy, dispatched);
    }

    private async Task SendAfterAsync(Task previous, IChannelHandlerContext context, XElement stanza, Jid contact, ContactPolicy policy, TaskCompletionSource dispatched)
    {
        await previous.ConfigureAwait(false);
        await _contacts.FanOut.SendAsync(stanza, contact, policy, copy => context.WriteAndFlushAsync(copy), dispatched).ConfigureAwait(false);
    }

    private Jid? BareRecipientOf(XElement stanza)
    {
        try
        {
            return Stanza.GetTo(stanza) is { IsBare: true } to && to.Local is not null && to != _session.Jid.Bare ? to : null;
        }
        catch (InvalidJidException)
        {
            return null;
        }
    }
}
