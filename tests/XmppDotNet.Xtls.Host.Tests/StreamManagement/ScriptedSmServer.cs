using System.Collections.Concurrent;
using System.Globalization;
using System.Xml.Linq;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Local;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Sasl;
using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>
/// A small XMPP server that offers stream management (XEP-0198) and keeps one session across connections,
/// with switches to lose stanzas, refuse or forge a resumption, and cut the connection without a footer.
/// </summary>
internal sealed class ScriptedSmServer : IAsyncDisposable
{
    public const string Domain = "sm.test";
    public const string User = "romeo";
    public const string Password = "r-pass";
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly List<XmppClient> _clients = [];
    private readonly SemaphoreSlim _received = new(0);
    private IChannel? _server;
    private IChannel? _current;
    private TaskCompletionSource _resumeGate = Released();

    public LocalAddress Address { get; } = new("sm-server-" + Guid.NewGuid().ToString("N"));

    internal ScramCredentials Credentials { get; } = ScramCredentials.Create(ScramHash.Sha256, Password);

    /// <summary>Stanzas the server received and counted, in order, over all connections.</summary>
    public ConcurrentQueue<XElement> Received { get; } = new();

    /// <summary>Stream-management elements from the client, in order.</summary>
    public ConcurrentQueue<XElement> Management { get; } = new();

    /// <summary>Stream errors from the client.</summary>
    public ConcurrentQueue<XElement> StreamErrors { get; } = new();

    /// <summary>The server's h: stanzas it received since the client enabled stream management.</summary>
    public uint Handled { get; set; }

    public bool Enabled { get; set; }

    public bool OfferStreamManagement { get; set; } = true;

    public bool GrantResume { get; set; } = true;

    /// <summary>While set, stanzas arriving are lost (not counted): the network ate them.</summary>
    public bool LoseInbound { get; set; }

    /// <summary>While set, <c>r</c> is not answered.</summary>
    public bool IgnoreAckRequests { get; set; }

    /// <summary>Answers <c>enable</c> instead of the default <c>enabled id=ResumeId resume=GrantResume</c>.</summary>
    public Func<XElement>? EnabledAnswer { get; set; }

    /// <summary>Answers a <c>resume</c> instead of the default <c>resumed h=Handled</c>.</summary>
    public Func<XElement, XElement>? ResumeAnswer { get; set; }

    /// <summary>Cuts the connection instead of answering <c>resume</c> (a network that keeps failing).</summary>
    public bool CutOnResume { get; set; }

    public int Lost;
    public int Connections;
    public int Resumptions;

    public string ResumeId { get; } = "sm-" + Guid.NewGuid().ToString("N");

    public static async Task<ScriptedSmServer> StartAsync()
    {
        var server = new ScriptedSmServer();
        IEventLoopGroup group = XmppEventLoops.Shared;
        var bootstrap = new ServerBootstrap()
            .Group(group, group)
            .Channel<LocalServerChannel>()
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                Interlocked.Increment(ref server.Connections);
                server._current = channel;
                channel.Pipeline.AddLast("xml-decoder", new XmlStreamDecoder());
                channel.Pipeline.AddLast("xml-encoder", new XmlStreamEncoder());
                channel.Pipeline.AddLast("scripted", new ScriptedSmConnection(server));
            }));
        server._server = await bootstrap.BindAsync(server.Address);
        return server;
    }

    public XmppClient Build(Action<XmppClientBuilder>? configure = null)
    {
        XmppClientBuilder builder = new XmppClientBuilder()
            .WithJid($"{User}@{Domain}")
            .WithPassword(Password)
            .WithResource("orchard")
            .Configure(o =>
            {
                o.Transport = new ScriptedTransport(Address);
                o.RequestRoster = false;
                o.SendInitialPresence = false;
                o.StreamManagement.FirstReconnectDelay = TimeSpan.Zero;
                o.StreamManagement.MaxReconnectDelay = TimeSpan.Zero;
            });
        configure?.Invoke(builder);
        XmppClient client = builder.Build();
        _clients.Add(client);
        return client;
    }

    /// <summary>Holds every <c>resume</c> until <see cref="ReleaseResume"/>.</summary>
    public void HoldResume() => _resumeGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseResume() => _resumeGate.TrySetResult();

    internal Task ResumeGate => _resumeGate.Task;

    /// <summary>Cuts the current connection as a network failure would: no footer, no stream error.</summary>
    public Task CutAsync() => _current!.CloseAsync();

    /// <summary>Sends an element to the client on the current connection.</summary>
    public Task SendAsync(XElement element) => _current!.WriteAndFlushAsync(element);

    public async Task WaitForReceivedAsync(int count)
    {
        while (Received.Count < count)
        {
            if (!await _received.WaitAsync(Bound))
            {
                Assert.Fail($"The server received {Received.Count} of {count} stanzas.");
            }
        }
    }

    internal void OnStanza(XElement stanza)
    {
        if (LoseInbound)
        {
            Interlocked.Increment(ref Lost);
            return;
        }

        Handled++;
        Received.Enqueue(stanza);
        _received.Release();
    }

    internal XElement AnswerResume(XElement resume)
    {
        Interlocked.Increment(ref Resumptions);
        return ResumeAnswer?.Invoke(resume)
            ?? new XElement(
                XName.Get("resumed", XmppNamespaces.StreamManagement),
                new XAttribute("previd", ResumeId),
                new XAttribute("h", Handled.ToString(CultureInfo.InvariantCulture)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (XmppClient client in _clients)
        {
            try
            {
                await client.DisposeAsync();
            }
            catch (XmppException)
            {
                // A session a test broke on purpose.
            }
        }

        if (_server is not null)
        {
            await _server.CloseAsync();
        }

        _received.Dispose();
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }
}
