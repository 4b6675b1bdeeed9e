using System.Diagnostics.CodeAnalysis;
using XmppDotNet.Xtls.Load.Memory;
using XmppDotNet.Xtls.Load.Prosody;

namespace XmppDotNet.Xtls.Load;

/// <summary>One load run: its name on the command line, a one-line usage, and what it does.</summary>
internal sealed record LoadRun(string Name, string Usage, Func<string[], Task<int>> RunAsync);

/// <summary>The load runs by name.</summary>
internal static class LoadRuns
{
    public static IReadOnlyList<LoadRun> All { get; } =
    [
        MemoryCommand.Run,
        ProsodyLoadCommand.Run,
    ];

    public static bool TryGet(string name, [NotNullWhen(true)] out LoadRun? run)
    {
        run = All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
        return run is not null;
    }
}
