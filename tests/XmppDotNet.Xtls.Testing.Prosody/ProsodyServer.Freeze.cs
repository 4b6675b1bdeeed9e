using System.ComponentModel;
using System.Globalization;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Freezing the server: its sockets stay open, but nothing is read, routed or answered.</summary>
public sealed partial class ProsodyServer
{
    /// <summary>
    /// Stops the Prosody process (SIGSTOP) without ending it: clients stay connected and what they send
    /// waits in the kernel's buffers, unanswered. <see cref="StopProcessAsync"/> with
    /// <see cref="ShutdownMode.Kill"/> still ends it at once; <see cref="ThawAsync"/> lets it go on.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>Lets a frozen server go on (SIGCONT).</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");

        // .NET sends no signal but SIGKILL; the kill utility sends the others.
        var output = new OutputTail(10);
        int exitCode;
        try
        {
            exitCode = await ChildProcess.RunAsync(
                "/bin/kill",
                ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)],
                _layout.Root,
                output,
                TimeSpan.FromSeconds(10),
                CancellationToken.None);
        }
        catch (ProsodyStartException e) when (e.InnerException is Win32Exception)
        {
            throw new InvalidOperationException($"Could not send SIG{signal} to Prosody: {e.Message}", e);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed with exit code {exitCode}:{Environment.NewLine}{output}");
        }
    }
}
