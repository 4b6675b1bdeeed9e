using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Tests;

/// <summary>One run of the xtls program in-process, with captured output, as a shell would see it.</summary>
internal sealed class ProgramRun
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private ProgramRun(int exitCode, string output, string error)
    {
        ExitCode = exitCode;
        Output = output;
        Error = error;
    }

    public int ExitCode { get; }

    public string Output { get; }

    public string Error { get; }

    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Runs the program with redirected streams (as in a pipe), no terminal, and only the given environment.</summary>
    public static async Task<ProgramRun> RunAsync(
        string[] args,
        string configDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        string input = "",
        bool outputIsTerminal = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new StringReader(input);
        var console = new ProgramConsole
        {
            In = stdin,
            Out = output,
            Error = error,
            IsInputRedirected = true,
            IsOutputRedirected = !outputIsTerminal,
            IsErrorRedirected = true,
            GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null,
            ConfigDirectory = configDirectory,
        };
        int exitCode = await XtlsProgram.RunAsync(args, console, CancellationToken.None).WaitAsync(Bound);
        return new ProgramRun(exitCode, output.ToString(), error.ToString());
    }
}
