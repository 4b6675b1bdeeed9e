namespace XmppDotNet.Xtls.Load;

/// <summary>
/// <c>XmppDotNet.Xtls.Load RUN [options]</c> runs one load run and writes its report (Markdown and JSON)
/// to <c>--out DIR</c> (default <c>artifacts/load</c>). Exits 0 when the run met every condition it checks,
/// 1 when it did not, 2 on bad arguments.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && LoadRuns.TryGet(args[0], out LoadRun? run))
        {
            return await run.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("usage: XmppDotNet.Xtls.Load RUN [options]");
        foreach (LoadRun known in LoadRuns.All)
        {
            await Console.Error.WriteLineAsync($"  {known.Name,-10} {known.Usage}");
        }

        return args.Length > 0 && args[0] is "-h" or "--help" ? 0 : 2;
    }
}
