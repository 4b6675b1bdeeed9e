using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Starts, waits for and ends the test servers' processes, never leaving one behind.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="program"/> with no standard input, copying its output into <paramref name="output"/>.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, string workingDirectory, OutputTail output) =>
        Start(program, arguments, workingDirectory, output, environment: null);

    /// <summary>As above, with variables added to (or replacing those of) the inherited environment.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, string workingDirectory, OutputTail output, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new ProsodyStartException($"Could not run {program}: {e.Message}", e);
        }

        // Nothing here ever answers a prompt: an empty standard input makes a prompt fail fast.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a program to completion within <paramref name="timeout"/> and returns its exit code.</summary>
    public static Task<int> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, OutputTail output, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(program, arguments, workingDirectory, output, environment: null, timeout, cancellationToken);

    /// <summary>As above, with variables added to the inherited environment.</summary>
    public static async Task<int> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, OutputTail output, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments, workingDirectory, output, environment);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await EndAsync(process, ShutdownMode.Kill, TimeSpan.Zero);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds} s.");
        }

        return process.ExitCode;
    }

    /// <summary>
    /// Ends the process and everything it started. Graceful asks with SIGTERM first and waits up to
    /// <paramref name="gracePeriod"/>; whatever is still running then is killed.
    /// </summary>
    public static async Task EndAsync(Process process, ShutdownMode mode, TimeSpan gracePeriod)
    {
        if (HasExited(process))
        {
            await process.WaitForExitAsync();
            return;
        }

        if (mode == ShutdownMode.Graceful && await SendTerminateAsync(process.Id))
        {
            using var grace = new CancellationTokenSource(gracePeriod);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Too slow to say goodbye: killed below.
            }
        }

        if (!HasExited(process))
        {
            process.Kill(entireProcessTree: true);
        }

        // SIGKILL cannot be ignored; a process that still does not go is a broken machine, not a slow test.
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(exit.Token);
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>.NET can only send SIGKILL, so SIGTERM goes through the shell's kill built-in.</summary>
    private static async Task<bool> SendTerminateAsync(int processId)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("kill -TERM " + processId.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var kill = Process.Start(info);
            if (kill is null)
            {
                return false;
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await kill.WaitForExitAsync(deadline.Token);
            return kill.ExitCode == 0;
        }
        catch (Exception e) when (e is Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }
}
