using DotNetty.Transport.Channels;

namespace XmppDotNet.Xtls.Host.Client;

/// <summary>The process-wide DotNetty event loops clients share unless given their own.</summary>
/// <remarks>Their threads are background threads: they do not keep a process alive.</remarks>
public static class XmppEventLoops
{
    private static readonly Lazy<IEventLoopGroup> SharedGroup = new(() => new MultithreadEventLoopGroup(Math.Max(2, Environment.ProcessorCount)));

    /// <summary>The shared group (one loop per core, at least two).</summary>
    public static IEventLoopGroup Shared => SharedGroup.Value;
}
