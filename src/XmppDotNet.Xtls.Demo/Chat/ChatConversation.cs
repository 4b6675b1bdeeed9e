using System.Xml.Linq;
using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// The chat itself, once the tunnel is open: lines from standard input go out as messages (a few may await
/// their acknowledgement at once), and the conversation ends at end of input (close in order, exit 0), when
/// the peer closes (exit 0), or on a failure or interruption.
/// </summary>
internal sealed class ChatConversation
{
    /// <summary>The longest line read from standard input, in characters; its stanza stays well under the tunnel's limit.</summary>
    public const int MaxLineChars = 32_768;

    /// <summary>How many sent messages may await their acknowledgement at once.</summary>
    public const int SendWindow = 16;

    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(15);

    private readonly XmppClient _client;
    private readonly Jid _peer;
    private readonly TunnelWatch _watch;
    private readonly StatusWriter _status;
    private readonly ChatSession _session;
    private readonly Queue<Task> _sending = new();

    /// <summary>Creates the conversation over an open tunnel.</summary>
    public ChatConversation(XmppClient client, Jid peer, TunnelWatch watch, StatusWriter status, ChatSession session)
    {
        _client = client;
        _peer = peer;
        _watch = watch;
        _status = status;
        _session = session;
    }

    /// <summary>Runs until input ends, the tunnel ends, or the token is cancelled; returns the exit code.</summary>
    /// <exception cref="ProgramFailure">The tunnel or the session failed, input was unusable, or the run was interrupted.</exception>
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
                Task first = await Task.WhenAny(reading, _watch.Ended.Task, _watch.SessionEnded.Task, cancelled).ConfigureAwait(false);
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
                else if (first == _watch.Ended.Task)
                {
                    return await PeerEndedAsync().ConfigureAwait(false);
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
            await CloseTunnelAsync().ConfigureAwait(false);
            throw ChatSession.Interrupted();
        }
        catch (ProgramFailure failure) when (failure.ExitCode is ExitCodes.Usage or ExitCodes.Interrupted)
        {
            // The tunnel is still fine: close it in order before giving up.
            await CloseTunnelAsync().ConfigureAwait(false);
            throw;
        }
    }


    private async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        if (line.Length == 0)
        {
            return;
        }

        var message = new XElement(
            XName.Get("message", XmppNamespaces.Client),
            new XAttribute("to", _peer.ToString()),
            new XAttribute("type", "chat"),
            new XAttribute("id", _client.NextId()),
            new XElement(XName.Get("body", XmppNamespaces.Client), XmlText.Sanitize(line)));
        _sending.Enqueue(SendOne(message));
        while (_sending.Count >= SendWindow)
        {
            await AwaitDeliveryAsync(_sending.Dequeue(), cancellationToken).ConfigureAwait(false);
        }
    }

    // A send that fails at once (the session is not online) becomes a failed task like the others.
    private Task SendOne(XElement message)
    {
        try
        {
            return _client.SendAsync(message);
        }
        catch (InvalidOperationException e)
        {
            return Task.FromException(e);
        }
    }

    private async Task AwaitDeliveryAsync(Task delivery, CancellationToken cancellationToken)
    {
        try
        {
            await delivery.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (XtlsTunnelException e)
        {
            throw _session.TunnelFailure(_peer, e.Reason, e.Detail, wasOpen: true, e);
        }
        catch (Exception e) when (e is InvalidOperationException or Tunnels.TunnelBackpressureException or DotNetty.Transport.Channels.ClosedChannelException)
        {
            throw new ProgramFailure(ExitCodes.TunnelFailed, $"a message to {_peer} could not be sent: {e.Message}", e);
        }
    }

    private async Task<int> FinishAsync(CancellationToken cancellationToken)
    {
        while (_sending.TryDequeue(out Task? delivery))
        {
            await AwaitDeliveryAsync(delivery, cancellationToken).ConfigureAwait(false);
        }

        _status.Info($"end of input: closing the tunnel with {_peer}");
        await CloseTunnelAsync().ConfigureAwait(false);
        _status.Info("tunnel closed");
        return ExitCodes.Success;
    }

    private async Task<int> PeerEndedAsync()
    {
        XtlsTunnelClosedEventArgs ended = await _watch.Ended.Task.ConfigureAwait(false);
        int undelivered = 0;
        while (_sending.TryDequeue(out Task? delivery))
        {
            try
            {
                await delivery.ConfigureAwait(false);
            }
            catch (Exception e) when (e is XtlsTunnelException or InvalidOperationException or DotNetty.Transport.Channels.ClosedChannelException)
            {
                undelivered++;
            }
        }

        if (!TunnelFailures.IsOrderly(ended.Reason))
        {
            throw _session.TunnelFailure(_peer, ended.Reason, ended.Detail, wasOpen: true);
        }

        if (undelivered > 0)
        {
            throw new ProgramFailure(ExitCodes.TunnelFailed, $"{_peer} closed the tunnel before {undelivered} message(s) were delivered");
        }

        _status.Info($"{_peer} closed the tunnel");
        return ExitCodes.Success;
    }

    private async Task CloseTunnelAsync()
    {
        using var bound = new CancellationTokenSource(CloseBound);
        try
        {
            await _client.GetXtls().CloseAsync(_peer, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _status.Warning($"{_peer} did not confirm the close within {CloseBound.TotalSeconds} s");
        }
    }
}
