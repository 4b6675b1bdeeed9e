using DotNetty.Common.Concurrency;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Pipeline;
using XmppDotNet.Xtls.Tests.Hostile;

namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// Moves a fake clock forward in small steps until a condition holds, letting the clients' event
/// loops run in between. Time only ever runs early here, as on a slow network: every timeout this
/// fires is one a real clock could have fired, so no outcome depends on how fast the machine is.
/// </summary>
internal static class Drive
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>At most this many steps: well past every timeout of the tests, so a protocol that never ends fails the test instead of hanging it.</summary>
    public const int MaxSteps = 300;

    public static async Task UntilAsync(FakeTimeProvider clock, Func<Task<bool>> done, params XmppClient[] clients)
    {
        for (int step = 0; step < MaxSteps; step++)
        {
            // Twice round: an answer one loop sends may be what the other loop acts on. Every loop of the
            // shared group, not only the clients': the router's sessions run there too, and a stanza
            // stuck on one of them while time runs would make a calm network look lossy.
            for (int round = 0; round < 2; round++)
            {
                foreach (IEventExecutor loop in XmppEventLoops.Shared.Items)
                {
                    await loop.SubmitAsync(() => true).WaitAsync(Pipeline.XtlsPair.Bound);
                }

                foreach (XmppClient client in clients)
                {
                    await Watch.EventLoopSettled(client);
                }
            }

            if (await done())
            {
                return;
            }

            clock.Advance(Step);
        }

        Assert.Fail($"Still not done after {MaxSteps} steps of {Step}: a deadlock.");
    }

    public static Task UntilAsync(FakeTimeProvider clock, Func<bool> done, params XmppClient[] clients) =>
        UntilAsync(clock, () => Task.FromResult(done()), clients);

    /// <summary>The client's IQ-level XTLS handler.</summary>
    public static XtlsHandler Tunnels(XmppClient client) => (XtlsHandler)client.Channel!.Pipeline.Get(XtlsClientBuilderExtensions.XtlsHandlerName);

    /// <summary>The client's TLS-level XTLS handler.</summary>
    public static XtlsTlsHandler Tls(XmppClient client) => (XtlsTlsHandler)client.Channel!.Pipeline.Get(XtlsClientBuilderExtensions.XtlsTlsHandlerName);

    /// <summary>Reads a value on the client's event loop, where the handlers keep their state.</summary>
    public static Task<T> OnLoop<T>(XmppClient client, Func<T> read) =>
        client.Channel!.EventLoop.SubmitAsync(read).WaitAsync(Pipeline.XtlsPair.Bound);

    /// <summary>The tunnels a client's manager holds in any state; none once its connection closed (the pipeline's handlers are gone, and they ended every tunnel on the way).</summary>
    public static Task<int> TunnelCount(XmppClient client) =>
        OnLoop(client, () => client.Channel!.Pipeline.Get(XtlsClientBuilderExtensions.XtlsHandlerName) is XtlsHandler tunnels ? tunnels.TunnelCount : 0);
}
