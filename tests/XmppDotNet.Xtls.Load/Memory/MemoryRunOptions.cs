using System.Globalization;

namespace XmppDotNet.Xtls.Load.Memory;

/// <summary>What the in-memory run does: how many tunnels, how many stanzas, how big, and how long it may take.</summary>
internal sealed record MemoryRunOptions
{
    public const string Usage =
        "[--tunnels N (10000)] [--stanzas TOTAL (1000000)] [--payload BYTES[,BYTES...] (256)] [--window N (8)] [--timeout SECONDS (1800)] [--out DIR]";

    /// <summary>Tunnels open at once, all from one hub client to as many peer clients.</summary>
    public int Tunnels { get; init; } = 10_000;

    /// <summary>Stanzas in all, split evenly over the tunnels and both directions.</summary>
    public long Stanzas { get; init; } = 1_000_000;

    /// <summary>Body sizes in bytes; a stream cycles through them.</summary>
    public IReadOnlyList<int> Payloads { get; init; } = [256];

    /// <summary>Stanzas per tunnel and direction sent and not yet acknowledged by the peer.</summary>
    public int Window { get; init; } = 8;

    /// <summary>The whole run, setup and teardown included; beyond it the run fails instead of hanging.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Where memory.md and memory.json go.</summary>
    public string Out { get; init; } = Path.Combine("artifacts", "load");

    /// <summary>Parses the command line; <paramref name="error"/> says what is wrong when it returns <c>null</c>.</summary>
    public static MemoryRunOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new MemoryRunOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            string value = args[++i];
            options = name switch
            {
                "--tunnels" when TryInt(value, 1, 100_000, out int n) => options with { Tunnels = n },
                "--stanzas" when TryLong(value, 0, 1_000_000_000, out long n) => options with { Stanzas = n },
                "--payload" when TryPayloads(value, out int[] sizes) => options with { Payloads = sizes },
                "--window" when TryInt(value, 1, 256, out int n) => options with { Window = n },
                "--timeout" when TryInt(value, 1, 24 * 3600, out int n) => options with { Timeout = TimeSpan.FromSeconds(n) },
                "--out" when value.Length > 0 => options with { Out = value },
                _ => null!,
            };
            if (options is null)
            {
                error = $"bad option or value: {name} {value}";
                return null;
            }
        }

        return options;
    }

    private static bool TryInt(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    private static bool TryLong(string value, long min, long max, out long result) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    // Bodies up to 64 KiB: a stanza stays well under the 256 KiB inner-stanza limit.
    private static bool TryPayloads(string value, out int[] sizes)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!TryInt(parts[i], 1, 65_536, out sizes[i]))
            {
                return false;
            }
        }

        return parts.Length is > 0 and <= 16;
    }
}
