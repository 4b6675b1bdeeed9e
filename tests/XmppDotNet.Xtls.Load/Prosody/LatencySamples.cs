namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>Message latencies (send to arrival) and IQ round trips per phase, in milliseconds; bounded.</summary>
internal sealed class LatencySamples
{
    private const int MaxSamplesPerList = 4_000_000;

    private readonly Lock _gate = new();
    private readonly List<double>[] _messages = [[], [], []];
    private readonly List<double>[] _iqs = [[], [], []];

    public void AddMessage(int phase, double milliseconds) => Add(_messages, phase, milliseconds);

    public void AddIq(int phase, double milliseconds) => Add(_iqs, phase, milliseconds);

    /// <summary>The <paramref name="percentile"/> (0 to 100) of message latencies of a phase, or <c>null</c> without samples.</summary>
    public double? Message(int phase, double percentile) => Percentile(_messages, phase, percentile);

    public double? Iq(int phase, double percentile) => Percentile(_iqs, phase, percentile);

    private void Add(List<double>[] lists, int phase, double milliseconds)
    {
        lock (_gate)
        {
            List<double> list = lists[phase];
            if (list.Count < MaxSamplesPerList)
            {
                list.Add(milliseconds);
            }
        }
    }

    private double? Percentile(List<double>[] lists, int phase, double percentile)
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. lists[phase]];
        }

        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        int index = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
