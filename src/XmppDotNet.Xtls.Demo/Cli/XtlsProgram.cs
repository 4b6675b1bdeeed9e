using System.CommandLine;
using System.CommandLine.Help;
using XmppDotNet.Xtls.Demo.Chat;
using XmppDotNet.Xtls.Demo.Demo;
using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary>
/// The <c>xtls</c> program: the demo (no arguments), <c>chat</c> and <c>fingerprint</c>. Runs in-process on any
/// <see cref="ProgramConsole"/>, so tests drive it exactly as a shell would.
/// </summary>
internal static class XtlsProgram
{
    /// <summary>Parses the arguments, runs the command and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="console">Streams and environment.</param>
    /// <param name="cancellationToken">Ctrl-C or SIGTERM: the command closes what it opened and the program exits 130.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ProgramConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        // Received messages and status lines come from I/O threads as well as this one.
        ProgramConsole io = console with
        {
            Out = TextWriter.Synchronized(console.Out),
            Error = TextWriter.Synchronized(console.Error),
        };
        var errors = new StatusWriter(io.Error, Styler.For(io.IsErrorRedirected, io.GetEnvironmentVariable), quiet: true);
        RootCommand root = Build(io);
        ParseResult parse = root.Parse(args);
        if (parse.Action is not ExtendedHelpAction && parse.Errors.Count > 0)
        {
            string command = parse.CommandResult.Command == root ? "xtls" : $"xtls {parse.CommandResult.Command.Name}";
            errors.Failure($"{parse.Errors[0].Message.TrimEnd('.')} (see '{command} --help')");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (ProgramFailure failure)
        {
            errors.Failure(failure.Message);
            return failure.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.Failure("interrupted");
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // Whatever went wrong, a script gets exit code 1 and one line, not a stack trace.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            errors.Failure($"unexpected {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The command tree.</summary>
    internal static RootCommand Build(ProgramConsole console)
    {
        Command chat = ChatCommand.Build(console);
        Command fingerprint = FingerprintCommand.Build(console);
        var root = new RootCommand(
            "XTLS: end-to-end TLS between two XMPP clients, carried in IQ stanzas through their servers (urn:xmpp:tmp:xtls). "
            + "Without a command: a demo in one process, no server needed. Two clients log in to an in-memory XMPP server, "
            + "open a tunnel and talk through it; the page shows the handshake, both fingerprints, what the server saw and what arrived.")
        {
            chat,
            fingerprint,
        };
        root.SetAction((_, cancellationToken) => DemoCommand.RunAsync(console, cancellationToken));

        // Longer text (how chat behaves, the exit codes) goes after a command's own help, not into the list of commands.
        var more = new Dictionary<Command, string>
        {
            [root] = ExitCodes.Describe(),
            [chat] = ChatCommand.Details + "\n\n" + ExitCodes.Describe(),
            [fingerprint] = ExitCodes.Describe(),
        };
        foreach (HelpOption help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction standard)
            {
                help.Action = new ExtendedHelpAction(standard, more);
            }
        }

        return root;
    }
}
