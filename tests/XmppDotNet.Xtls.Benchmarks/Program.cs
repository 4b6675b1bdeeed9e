using BenchmarkDotNet.Running;
using XmppDotNet.Xtls.Benchmarks.Macro;

namespace XmppDotNet.Xtls.Benchmarks;

/// <summary>
/// <c>micro [BenchmarkDotNet arguments]</c> runs the micro-benchmarks (e.g. <c>micro --filter '*'</c>);
/// <c>macro [options]</c> runs the side-by-side comparisons and writes a Markdown table and JSON.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : string.Empty;
        string[] rest = args.Length > 0 ? args[1..] : [];
        switch (command)
        {
            case "micro":
                // Results go next to the macro ones unless the caller chose a place.
                string[] micro = rest.Contains("--artifacts") ? rest : [.. rest, "--artifacts", Path.Combine("artifacts", "bench", "micro")];
                _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(micro);
                return 0;
            case "macro":
                return await MacroCommand.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync("usage: XmppDotNet.Xtls.Benchmarks micro [BenchmarkDotNet options, e.g. --filter '*']");
                await Console.Error.WriteLineAsync("       XmppDotNet.Xtls.Benchmarks macro [--out DIR] [--seconds S] [--idle-tunnels N] [--no-prosody]");
                return command is "-h" or "--help" ? 0 : 2;
        }
    }
}
