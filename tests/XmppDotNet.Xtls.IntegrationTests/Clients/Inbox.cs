using System.Threading.Channels;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>Everything a client hands to the application, in arrival order, for a test to wait on.</summary>
internal sealed class Inbox : IDisposable
{
    private readonly XmppClient _client;
    private readonly Channel<XElement> _stanzas = Channel.CreateUnbounded<XElement>();

    public Inbox(XmppClient client)
    {
        _client = client;
        _client.StanzaReceived += OnStanza;
    }

    /// <summary>The next stanza that matches, skipping the others; fails after <see cref="ProsodyClients.Bound"/>.</summary>
    public async Task<XElement> NextAsync(Func<XElement, bool> predicate, string what)
    {
        using var timeout = new CancellationTokenSource(ProsodyClients.Bound);
        try
        {
            while (true)
            {
                XElement stanza = await _stanzas.Reader.ReadAsync(timeout.Token);
                if (predicate(stanza))
                {
                    return stanza;
                }
            }
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{_client.Jid} received no {what} within {ProsodyClients.Bound}.", e);
        }
    }

    /// <summary>The next message, skipping presence.</summary>
    public Task<XElement> NextMessageAsync() => NextAsync(Stanza.IsMessage, "message");

    /// <summary>The messages that arrived and were not taken yet.</summary>
    public IReadOnlyList<XElement> TakeMessagesReceivedSoFar()
    {
        var messages = new List<XElement>();
        while (_stanzas.Reader.TryRead(out XElement? stanza))
        {
            if (Stanza.IsMessage(stanza))
            {
                messages.Add(stanza);
            }
        }

        return messages;
    }

    public void Dispose() => _client.StanzaReceived -= OnStanza;

    private void OnStanza(object? sender, StanzaReceivedEventArgs e) => _stanzas.Writer.TryWrite(e.Stanza);
}
