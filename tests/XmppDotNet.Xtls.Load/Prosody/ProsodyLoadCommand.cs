namespace XmppDotNet.Xtls.Load.Prosody;

/// <summary><c>XmppDotNet.Xtls.Load prosody [options]</c>: parses, runs within the time limit, writes the report, sets the exit code.</summary>
internal static class ProsodyLoadCommand
{
    /// <summary>Past the time limit the run cancels itself; this much longer and it is abandoned as hung.</summary>
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(120);

    public static LoadRun Run { get; } = new("prosody", ProsodyLoadOptions.Usage, RunAsync);

    private static async Task<int> RunAsync(string[] args)
    {
        ProsodyLoadOptions? options = ProsodyLoadOptions.Parse(args, out string? error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"prosody: {error}{Environment.NewLine}usage: XmppDotNet.Xtls.Load prosody {ProsodyLoadOptions.Usage}");
            return 2;
        }

        using var limit = new CancellationTokenSource(options.EffectiveTimeLimit);
        Task<ProsodyLoadResult> running = ProsodyLoad.RunAsync(options, line => Console.WriteLine($"[prosody] {line}"), limit.Token);
        ProsodyLoadResult result;
        try
        {
            result = await running.WaitAsync(options.EffectiveTimeLimit + AbandonAfter);
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync($"prosody: the run did not end within {options.EffectiveTimeLimit + AbandonAfter}; abandoned as hung.");
            return 1;
        }

        await ProsodyLoadReport.WriteAsync(result, options.OutputDirectory);
        Console.WriteLine(ProsodyLoadReport.Markdown(result));
        Console.WriteLine($"[prosody] report: {Path.GetFullPath(Path.Combine(options.OutputDirectory, "prosody.md"))} and prosody.json");
        return result.Passed ? 0 : 1;
    }
}
