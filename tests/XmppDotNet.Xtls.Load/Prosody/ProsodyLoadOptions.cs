using System.Globalization;

namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary>What the <c>prosody</c> load run does: how many clients, how long each phase lasts, where the report goes.</summary>
internal sealed record ProsodyLoadOptions
{
    public const string Usage =
        "[--clients N (even, default 100)] [--seconds S per phase (default 60)] [--window W sends in flight per direction (default 8)] " +
        "[--shutdown graceful|kill (default graceful)] [--time-limit S for the whole run (default 6*S+600)] [--seed N] [--out DIR]";

    private const int MaxClients = 2000;
    private const int MaxSeconds = 3600;
    private const int MaxWindow = 256;

    public int Clients { get; init; } = 100;

    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(60);

    public int Window { get; init; } = 8;

    /// <summary>How the server goes away in the middle of the run; a graceful stop is a restart, a kill a crash.</summary>
    public bool KillServer { get; init; }

    /// <summary>The bound on the whole run: past it the run fails instead of waiting any longer.</summary>
    public TimeSpan? TimeLimit { get; init; }

    public int Seed { get; init; } = 20_081_024;

    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "load");

    public int Pairs => Clients / 2;

    public TimeSpan EffectiveTimeLimit => TimeLimit ?? (6 * Phase) + TimeSpan.FromSeconds(600);

    /// <summary>Reads the options; <paramref name="error"/> says what is wrong when it returns <c>null</c>.</summary>
    public static ProsodyLoadOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new ProsodyLoadOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.";
                return null;
            }

            string value = args[++i];
            switch (name)
            {
                case "--clients" when TryInt(value, 2, MaxClients, out int clients) && clients % 2 == 0:
                    options = options with { Clients = clients };
                    break;
                case "--seconds" when TryInt(value, 1, MaxSeconds, out int seconds):
                    options = options with { Phase = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--window" when TryInt(value, 1, MaxWindow, out int window):
                    options = options with { Window = window };
                    break;
                case "--shutdown" when value is "graceful" or "kill":
                    options = options with { KillServer = value == "kill" };
                    break;
                case "--time-limit" when TryInt(value, 10, 24 * MaxSeconds, out int limit):
                    options = options with { TimeLimit = TimeSpan.FromSeconds(limit) };
                    break;
                case "--seed" when TryInt(value, 0, int.MaxValue, out int seed):
                    options = options with { Seed = seed };
                    break;
                case "--out" when value.Length > 0:
                    options = options with { OutputDirectory = value };
                    break;
                default:
                    error = $"bad option or value: {name} {value}";
                    return null;
            }
        }

        return options;
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
