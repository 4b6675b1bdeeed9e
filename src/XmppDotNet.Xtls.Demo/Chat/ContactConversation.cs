using System.Xml.Linq;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// The chat with a contact (a bare <c>--peer</c>): each line goes to every tunnel open to the contact's
/// resources, which come and go; a line typed while none is open waits for one up to <c>--wait</c>. Ends at
/// end of input (every tunnel closed in order, exit 0), on a failure or on an interruption. Never in the clear:
/// a line is only ever written into tunnels.
/// </summary>
internal sealed class ContactConversation
{
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(15);

    private readonly XmppClient _client;
    private readonly XtlsContacts _contacts;
    private readonly Jid _contact;
    private readonly TimeSpan _wait;
    private readonly TunnelWatch _watch;
    private readonly StatusWriter _status;
    private readonly ChatSession _session;
    private readonly Queue<Task<IReadOnlyList<ContactDelivery>>> _sending = new();

    /// <summary>Creates the conversation; <paramref name="contact"/> is the contact's bare JID.</summary>
    public ContactConversation(XmppClient client, Jid contact, TimeSpan wait, TunnelWatch watch, StatusWriter status, ChatSession session)
    {
        _client = client;
        _contacts = client.GetXtlsContacts();
        _contact = contact;
        _wait = wait;
        _watch = watch;
        _status = status;
        _session = session;
    }

    /// <summary>Runs until input ends, the session ends, a line cannot be delivered, or the token is cancelled; returns the exit code.</summary>
    /// <exception cref="ProgramFailure">The session failed, no tunnel opened in time, a line reached no device, input was unusable, or the run was interrupted.</exception>
    public async Task<int> RunAsync(BoundedLineReader lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Task cancelled = Cancellation.AsTask(cancellationToken);
        Task<string?>? reading = null;
        try
        {
            while (true)
            {
                reading ??= ChatInput.Next(lines);
                Task first = await Task.WhenAny(reading, _watch.SessionEnded.Task, cancelled).ConfigureAwait(false);
                if (first == reading)
                {
                    string? line = await ChatInput.TakeAsync(reading).ConfigureAwait(false);
                    reading = null;
                    if (line is null)
                    {
                        return await FinishAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await SendAsync(line, cancellationToken).ConfigureAwait(false);
                }
                else if (first == _watch.SessionEnded.Task)
                {
                    throw new ProgramFailure(ExitCodes.Server, "the connection to the XMPP server was lost");
                }
                else
                {
                    throw ChatSession.Interrupted();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CloseTunnelsAsync().ConfigureAwait(false);
            throw ChatSession.Interrupted();
        }
        catch (ProgramFailure failure) when (failure.ExitCode is ExitCodes.Usage or ExitCodes.Interrupted or ExitCodes.TunnelNotOpened)
        {
            // The tunnels that are open are still fine: close them in order before giving up.
            await CloseTunnelsAsync().ConfigureAwait(false);
            throw;
        }
    }


    private async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (_contacts.GetTunnels(_contact).Count == 0)
        {
            // Waited for here, on the reading loop, so that lines keep their order.
            _status.Info($"no tunnel to {_contact} is open; the line waits up to {_wait.TotalSeconds:0} s for one");
            await _session.WaitForContactTunnelAsync(_client, _contact, _wait, cancellationToken).ConfigureAwait(false);
        }

        var message = new XElement(
            XName.Get("message", XmppNamespaces.Client),
            new XAttribute("to", _contact.ToString()),
            new XAttribute("type", "chat"),
            new XAttribute("id", _client.NextId()),
            new XElement(XName.Get("body", XmppNamespaces.Client), XmlText.Sanitize(line)));
        _sending.Enqueue(_contacts.SendToTunnelsAsync(_contact, message));
        while (_sending.Count >= ChatConversation.SendWindow)
        {
            await AwaitDeliveryAsync(_sending.Dequeue(), cancellationToken).ConfigureAwait(false);
        }
    }

    // A copy that failed is a device that left or broke: said on standard error. Only a line that reached no
    // device at all fails the run.
    private async Task AwaitDeliveryAsync(Task<IReadOnlyList<ContactDelivery>> delivery, CancellationToken cancellationToken)
    {
        try
        {
            await delivery.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (XtlsContactSendException e)
        {
            foreach (ContactCopyFailure failure in e.Failures)
            {
                _status.Warning($"a line did not reach {failure.Resource}: {failure.Detail}");
            }

            if (e.Delivered.Count == 0)
            {
                throw new ProgramFailure(ExitCodes.TunnelFailed, $"a line reached no device of {_contact}", e);
            }
        }
    }

    private async Task<int> FinishAsync(CancellationToken cancellationToken)
    {
        while (_sending.TryDequeue(out Task<IReadOnlyList<ContactDelivery>>? delivery))
        {
            await AwaitDeliveryAsync(delivery, cancellationToken).ConfigureAwait(false);
        }

        _status.Info($"end of input: closing the tunnels with {_contact}");
        await CloseTunnelsAsync().ConfigureAwait(false);
        _status.Info("tunnels closed");
        return ExitCodes.Success;
    }

    private async Task CloseTunnelsAsync()
    {
        using var bound = new CancellationTokenSource(CloseBound);
        try
        {
            await Task.WhenAll(_contacts.GetTunnels(_contact).Select(t => _client.GetXtls().CloseAsync(t.Peer, bound.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _status.Warning($"a device of {_contact} did not confirm the close within {CloseBound.TotalSeconds} s");
        }
    }
}
