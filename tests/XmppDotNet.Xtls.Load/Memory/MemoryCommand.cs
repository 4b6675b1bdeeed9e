namespace XmppDotNet.Xtls.Load.Memory;

/// <summary><c>memory</c>: the in-memory run from the command line; writes memory.md and memory.json, exits 0 only if every condition held.</summary>
internal static class MemoryCommand
{
    // Beyond the run's own bound: time to write the report before giving up on a run that ignores cancellation.
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public static LoadRun Run { get; } = new("memory", MemoryRunOptions.Usage, RunAsync);

    private static async Task<int> RunAsync(string[] args)
    {
        MemoryRunOptions? options = MemoryRunOptions.Parse(args, out string? error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"memory: {error}\nusage: XmppDotNet.Xtls.Load memory {MemoryRunOptions.Usage}");
            return 2;
        }

        Console.WriteLine($"memory: {options.Tunnels:N0} tunnels, {options.Stanzas:N0} stanzas, bodies {string.Join("/", options.Payloads)} B, window {options.Window}, at most {options.Timeout.TotalSeconds:F0} s");
        Task<MemoryResult> run = MemoryRun.RunAsync(options, line => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}"));
        if (await Task.WhenAny(run, Task.Delay(options.Timeout + Grace)) != run)
        {
            await Console.Error.WriteLineAsync($"memory: the run did not return within {(options.Timeout + Grace).TotalSeconds:F0} s: failed (a hang)");
            return 1;
        }

        MemoryResult result = await run;
        await MemoryReport.WriteAsync(result, options.Out);
        Console.WriteLine(MemoryReport.Markdown(result));
        Console.WriteLine($"wrote {Path.Combine(options.Out, "memory.md")} and memory.json");
        return result.Passed ? 0 : 1;
    }
}
