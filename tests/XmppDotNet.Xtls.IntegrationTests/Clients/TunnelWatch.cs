using System.Threading.Channels;

namespace XmppDotNet.Xtls.IntegrationTests.Clients;

/// <summary>The tunnels a session saw open and end, in order, for a test to wait on.</summary>
internal sealed class TunnelWatch : IDisposable
{
    private readonly XtlsService _service;
    private readonly Channel<XtlsTunnel> _opened = Channel.CreateUnbounded<XtlsTunnel>();
    private readonly Channel<XtlsTunnelClosedEventArgs> _closed = Channel.CreateUnbounded<XtlsTunnelClosedEventArgs>();

    public TunnelWatch(XtlsService service)
    {
        _service = service;
        _service.TunnelOpened += OnOpened;
        _service.TunnelClosed += OnClosed;
    }

    /// <summary>The next tunnel that opened; fails after <see cref="ProsodyClients.Bound"/>.</summary>
    public Task<XtlsTunnel> NextOpenedAsync() => _opened.Reader.ReadAsync().AsTask().WaitAsync(ProsodyClients.Bound);

    /// <summary>The next tunnel that ended; fails after <see cref="ProsodyClients.Bound"/>.</summary>
    public Task<XtlsTunnelClosedEventArgs> NextClosedAsync() => _closed.Reader.ReadAsync().AsTask().WaitAsync(ProsodyClients.Bound);

    /// <summary>Whether a tunnel ended that was not taken with <see cref="NextClosedAsync"/> yet.</summary>
    public bool HasUnseenEnd => _closed.Reader.TryPeek(out _);

    public void Dispose()
    {
        _service.TunnelOpened -= OnOpened;
        _service.TunnelClosed -= OnClosed;
    }

    private void OnOpened(object? sender, XtlsTunnelOpenedEventArgs e) => _opened.Writer.TryWrite(e.Tunnel);

    private void OnClosed(object? sender, XtlsTunnelClosedEventArgs e) => _closed.Writer.TryWrite(e);
}
