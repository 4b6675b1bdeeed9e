using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary><c>xtls</c> without arguments: the embedded demo.</summary>
internal static class DemoCommand
{
    /// <summary>Runs the demo on the console; exit code 0 when every check passed.</summary>
    /// <exception cref="ProgramFailure">The demo could not run, or a check failed (exit code 1).</exception>
    public static async Task<int> RunAsync(ProgramConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var page = new DemoLayout(console.Out, Styler.For(console.IsOutputRedirected, console.GetEnvironmentVariable), console.Width);
        DemoReport report;
        try
        {
            report = await new DemoScenario(page).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ProgramFailure(ExitCodes.Interrupted, "interrupted");
        }
        catch (Exception e) when (e is TimeoutException or XmppException or InvalidOperationException)
        {
            page.Flush();
            throw new ProgramFailure(ExitCodes.Failure, "the demo failed: " + e.Message, e);
        }

        return report.Passed
            ? ExitCodes.Success
            : throw new ProgramFailure(ExitCodes.Failure, "the demo found a problem: " + string.Join("; ", report.Problems));
    }
}
