using System.Globalization;
using System.Xml.Linq;
using XmppDotNet.Xtls.IntegrationTests.Clients;

namespace XmppDotNet.Xtls.IntegrationTests.Faults;

/// <summary>The messages of one direction of a fault run: what was sent, which sends failed, what arrived in which order.</summary>
internal sealed class DirectionLedger(string prefix, int count)
{
    private readonly Task[] _sends = new Task[count];

    public string Prefix => prefix;

    public int Count => count;

    public void Sent(int index, Task send) => _sends[index] = send;

    public Task AllSends => Task.WhenAll(_sends.Where(s => s is not null).Select(s => s.ContinueWith(static _ => { }, TaskScheduler.Default)));

    public string Body(int index) => prefix + index.ToString(CultureInfo.InvariantCulture);

    public bool Failed(int index) => _sends[index].IsFaulted || _sends[index].IsCanceled;

    /// <summary>Checks the arrivals: each at most once, in sending order, and every message that did not arrive reported failed.</summary>
    public Verdict Check(IReadOnlyList<XElement> arrived)
    {
        var indices = arrived
            .Select(ProsodyClients.Body)
            .Select(body => body is not null && body.StartsWith(prefix, StringComparison.Ordinal) &&
                int.TryParse(body.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1)
            .ToList();
        int unknown = indices.Count(i => i < 0 || i >= count);
        int duplicates = indices.Count - indices.Distinct().Count();
        int outOfOrder = indices.Zip(indices.Skip(1)).Count(pair => pair.Second <= pair.First);
        var delivered = indices.Where(i => i >= 0 && i < count).ToHashSet();
        int failed = Enumerable.Range(0, count).Count(Failed);
        int silentlyLost = Enumerable.Range(0, count).Count(i => !delivered.Contains(i) && !Failed(i));
        int failedButDelivered = Enumerable.Range(0, count).Count(i => delivered.Contains(i) && Failed(i));
        return new Verdict(delivered.Count, failed, failedButDelivered, silentlyLost, duplicates, outOfOrder, unknown);
    }

    public sealed record Verdict(int Delivered, int Failed, int FailedButDelivered, int SilentlyLost, int Duplicates, int OutOfOrder, int Unknown);
}
