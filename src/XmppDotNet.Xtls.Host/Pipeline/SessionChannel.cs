using System.Net;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>
/// The channel of one XMPP session, above its connections: its pipeline (stanza dispatch, plugins such as
/// XTLS with their per-session state) lives as long as the session, across XEP-0198 resumptions, while
/// the connection below it (TCP, TLS, XML, negotiation) is replaced. What the pipeline writes is handed
/// to <c>write</c>, and each flush of this channel becomes one <c>flush</c> of the connection, so that
/// writes the pipeline coalesced stay coalesced; what a connection reads is fired into the pipeline by that
/// connection.
/// </summary>
internal sealed class SessionChannel : AbstractChannel
{
    private static readonly ChannelMetadata NoDisconnect = new(false);
    // Takes one reference of a reference-counted message: passes it on, or releases it when it refuses the message.
    private readonly Func<object, Exception?> _write;
    private readonly Action _flush;
    private readonly Action _closed;
    private int _state; // 0 open, 1 active, 2 closed

    public SessionChannel(Func<object, Exception?> write, Action flush, Action closed)
        : base(null)
    {
        _write = write;
        _flush = flush;
        _closed = closed;
        Configuration = new DefaultChannelConfiguration(this);
    }

    public override IChannelConfiguration Configuration { get; }

    public override bool Open => Volatile.Read(ref _state) != 2;

    public override bool Active => Volatile.Read(ref _state) == 1;

    public override ChannelMetadata Metadata => NoDisconnect;

    protected override EndPoint? LocalAddressInternal => null;

    protected override EndPoint? RemoteAddressInternal => null;

    protected override IChannelUnsafe NewUnsafe() => new SessionUnsafe(this);

    protected override bool IsCompatible(IEventLoop eventLoop) => true;

    protected override void DoRegister() => Interlocked.CompareExchange(ref _state, 1, 0);

    protected override void DoBind(EndPoint localAddress)
    {
        // Nothing to bind: the connections below have their own addresses.
    }

    protected override void DoDisconnect() => DoClose();

    protected override void DoClose()
    {
        if (Interlocked.Exchange(ref _state, 2) != 2)
        {
            _closed();
        }
    }

    protected override void DoBeginRead()
    {
        // Reads are pushed by the connection below.
    }

    protected override void DoWrite(ChannelOutboundBuffer input)
    {
        while (input.Current is { } message)
        {
            // Removing the message releases the buffer's reference; the connection gets its own.
            ReferenceCountUtil.Retain(message);
            Exception? refused;
            try
            {
                refused = _write(message);
            }
            catch (ArgumentException e)
            {
                // A stanza that cannot be serialised (a character XML forbids) fails alone, as the encoder's would.
                refused = e;
                ReferenceCountUtil.SafeRelease(message);
            }

            if (refused is null)
            {
                input.Remove();
            }
            else
            {
                input.Remove(refused);
            }
        }

        _flush();
    }

    private sealed class SessionUnsafe(AbstractChannel channel) : AbstractUnsafe(channel)
    {
        public override Task ConnectAsync(EndPoint remoteAddress, EndPoint localAddress) => Task.CompletedTask;
    }
}
