using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>Waits for a client's <see cref="XmppClient.Closed"/> event; subscribe before the session ends.</summary>
internal sealed class SessionEnd : IDisposable
{
    private readonly XmppClient _client;
    private readonly TaskCompletionSource<SessionClosedEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SessionEnd(XmppClient client)
    {
        _client = client;
        _client.Closed += OnClosed;
    }

    /// <summary>The event's arguments; fails after <see cref="ProsodyClients.Bound"/>.</summary>
    public Task<SessionClosedEventArgs> Task => _closed.Task.WaitAsync(ProsodyClients.Bound);

    public void Dispose() => _client.Closed -= OnClosed;

    private void OnClosed(object? sender, SessionClosedEventArgs e) => _closed.TrySetResult(e);
}
