using System.Globalization;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>The options of the macro command.</summary>
internal sealed class MacroOptions
{
    public string OutputDirectory { get; private set; } = Path.Combine("artifacts", "bench");

    /// <summary>Measured time per throughput cell.</summary>
    public TimeSpan CellDuration { get; private set; } = TimeSpan.FromSeconds(3);

    public int IdleTunnels { get; private set; } = 10_000;

    public int BusyTunnels { get; private set; } = 1_000;

    public bool Prosody { get; private set; } = true;

    /// <summary>The window of data IQs per tunnel, or <c>null</c> for the library's default.</summary>
    public int? TunnelWindow { get; private set; }

    /// <summary>Raw ciphertext bytes per data IQ, or <c>null</c> for the library's default.</summary>
    public int? ChunkSize { get; private set; }

    /// <summary>The sections to run: engine, open (tunnel-open latency only), tls, in-memory, reopen, prosody, memory, throttled-chat (all by default).</summary>
    public IReadOnlySet<string> Sections { get; private set; } = AllSections;

    /// <summary>Rounds of each in-memory throughput cell (clear and tunnel in turn); the median round is reported.</summary>
    public int InMemoryRounds { get; private set; } = 3;

    /// <summary>The message body sizes of the throughput cells (all of <see cref="Fixtures.Payloads.BodySizes"/> by default).</summary>
    public IReadOnlyList<int> BodySizes { get; private set; } = Fixtures.Payloads.BodySizes;

    public static IReadOnlySet<string> AllSections { get; } = new HashSet<string>(StringComparer.Ordinal) { "engine", "open", "tls", "in-memory", "reopen", "prosody", "memory", "throttled-chat" };

    /// <summary>Lines of the throttled chat.</summary>
    public int ChatLines { get; private set; } = 500;

    /// <summary>Lines of the throttled chat sent and not yet echoed, at most (the sender waits beyond).</summary>
    public int ChatOutstanding { get; private set; } = 500;

    /// <summary>Reads the arguments; returns <c>null</c> and prints why when they are wrong.</summary>
    public static MacroOptions? Parse(string[] args)
    {
        var options = new MacroOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--out" when Next() is { } path:
                    options.OutputDirectory = path;
                    break;
                case "--seconds" when double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is > 0 and <= 60:
                    options.CellDuration = TimeSpan.FromSeconds(seconds);
                    break;
                case "--idle-tunnels" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int tunnels) && tunnels is >= 1 and <= 50_000:
                    options.IdleTunnels = tunnels;
                    break;
                case "--busy-tunnels" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int busy) && busy is >= 0 and <= 50_000:
                    options.BusyTunnels = busy;
                    break;
                case "--tunnel-window" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int window) && window is >= 1 and <= 256:
                    options.TunnelWindow = window;
                    break;
                case "--chunk-size" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int chunk) && chunk is >= 256 and <= 65536:
                    options.ChunkSize = chunk;
                    break;
                case "--only" when Next() is { } list && list.Split(',').All(AllSections.Contains):
                    options.Sections = new HashSet<string>(list.Split(','), StringComparer.Ordinal);
                    break;
                case "--sizes" when Next() is { } sizes && sizes.Split(',').All(size => int.TryParse(size, CultureInfo.InvariantCulture, out int value) && Fixtures.Payloads.BodySizes.Contains(value)):
                    options.BodySizes = sizes.Split(',').Select(size => int.Parse(size, CultureInfo.InvariantCulture)).Distinct().Order().ToArray();
                    break;
                case "--rounds" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int rounds) && rounds is >= 1 and <= 9:
                    options.InMemoryRounds = rounds;
                    break;
                case "--chat-lines" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int chatLines) && chatLines is >= 1 and <= 100_000:
                    options.ChatLines = chatLines;
                    break;
                case "--chat-outstanding" when int.TryParse(Next(), CultureInfo.InvariantCulture, out int outstanding) && outstanding is >= 1 and <= 100_000:
                    options.ChatOutstanding = outstanding;
                    break;
                case "--no-prosody":
                    options.Prosody = false;
                    break;
                case "--quick":
                    options.CellDuration = TimeSpan.FromSeconds(0.3);
                    options.InMemoryRounds = 1;
                    options.IdleTunnels = 200;
                    options.BusyTunnels = 50;
                    break;
                default:
                    Console.Error.WriteLine($"macro: unknown or invalid option '{args[i]}'.");
                    Console.Error.WriteLine("options: --out DIR  --seconds S (0-60)  --idle-tunnels N  --busy-tunnels N  --tunnel-window N (1-256)  --chunk-size N (256-65536)  --only engine,open,tls,in-memory,reopen,prosody,memory,throttled-chat  --sizes 256,1024,4096,16384  --rounds N (1-9)  --chat-lines N  --chat-outstanding N  --no-prosody  --quick");
                    return null;
            }
        }

        return options;
    }
}
