using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Pipeline;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>
/// Reads extra per-session counts the library keeps internally (pending IQs, TLS endpoints...), by name;
/// given by callers that can see them. Called on the client's event loop.
/// </summary>
internal delegate IEnumerable<KeyValuePair<string, int>> InternalCountsProbe(XmppClient client);

/// <summary>The library's own counts of live tunnel state, summed over sessions: all must be zero once every tunnel has closed.</summary>
internal static class LibraryCounts
{
    public static async Task<IReadOnlyDictionary<string, long>> SumAsync(IEnumerable<XmppClient> clients, InternalCountsProbe? probe, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["tunnels in the manager (XtlsHandler.TunnelCount)"] = 0,
            ["open tunnels in the API (XtlsService.OpenTunnels)"] = 0,
        };
        foreach (XmppClient client in clients)
        {
            if (client.Channel is not { } channel)
            {
                continue;
            }

            // The handlers keep their state on the session's event loop: read it there.
            List<KeyValuePair<string, int>> counts = await channel.EventLoop.SubmitAsync(() =>
            {
                var read = new List<KeyValuePair<string, int>>
                {
                    new("tunnels in the manager (XtlsHandler.TunnelCount)", ((XtlsHandler)channel.Pipeline.Get(XtlsClientBuilderExtensions.XtlsHandlerName)).TunnelCount),
                    new("open tunnels in the API (XtlsService.OpenTunnels)", client.GetXtls().OpenTunnels.Count),
                };
                if (probe is not null)
                {
                    read.AddRange(probe(client));
                }

                return read;
            }).WaitAsync(cancellationToken);
            foreach ((string name, int count) in counts)
            {
                sums[name] = sums.GetValueOrDefault(name) + count;
            }
        }

        return sums;
    }
}
