namespace XmppDotNet.Xtls.Demo.Io;

/// <summary>
/// Everything the program reads from and writes to its surroundings: standard streams, whether they are
/// terminals, environment variables, the per-user configuration folder and a no-echo prompt. The real
/// program uses <see cref="FromSystem"/>; tests run the program in-process with their own.
/// </summary>
internal sealed record ProgramConsole
{
    /// <summary>Standard input: lines to send through the tunnel.</summary>
    public required TextReader In { get; init; }

    /// <summary>Standard output: the demo, received messages, fingerprints.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: status lines, warnings and the one-line reason of a failure.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether standard input is a file or pipe rather than a terminal (then there is no prompt).</summary>
    public bool IsInputRedirected { get; init; } = true;

    /// <summary>Whether standard output is a file or pipe (then output is plain text).</summary>
    public bool IsOutputRedirected { get; init; } = true;

    /// <summary>Whether standard error is a file or pipe (then status lines are plain text).</summary>
    public bool IsErrorRedirected { get; init; } = true;

    /// <summary>Reads an environment variable; <c>null</c> when it is not set.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = static _ => null;

    /// <summary>The per-user configuration folder; the program keeps its files in <c>xtls/</c> below it.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>The width of the terminal in columns, for layout; 100 when output is redirected.</summary>
    public int Width { get; init; } = 100;

    /// <summary>
    /// Asks for a secret on the terminal without echoing it, or <c>null</c> when there is no terminal to ask
    /// on. The argument is the prompt.
    /// </summary>
    public Func<string, char[]?>? ReadSecret { get; init; }

    /// <summary>The process's own console and environment.</summary>
    public static ProgramConsole FromSystem()
    {
        bool inputRedirected = System.Console.IsInputRedirected;
        bool outputRedirected = System.Console.IsOutputRedirected;
        return new ProgramConsole
        {
            In = System.Console.In,
            Out = System.Console.Out,
            Error = System.Console.Error,
            IsInputRedirected = inputRedirected,
            IsOutputRedirected = outputRedirected,
            IsErrorRedirected = System.Console.IsErrorRedirected,
            GetEnvironmentVariable = Environment.GetEnvironmentVariable,
            ConfigDirectory = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            Width = outputRedirected ? 100 : TerminalWidth(),
            ReadSecret = inputRedirected ? null : TerminalSecret.Read,
        };
    }

    private static int TerminalWidth()
    {
        try
        {
            int width = System.Console.WindowWidth;
            return width >= 40 ? Math.Min(width, 200) : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}
