namespace XmppDotNet.Xtls.Demo.Io;

/// <summary>
/// Status lines, warnings and the final error on standard error, each prefixed with <c>xtls:</c>, so that
/// standard output carries only what a script consumes. Thread-safe: events arrive on I/O threads.
/// </summary>
internal sealed class StatusWriter
{
    private readonly TextWriter _error;
    private readonly Styler _style;
    private readonly bool _quiet;
    private readonly Lock _gate = new();

    /// <summary>Creates the writer.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="style">Colour for standard error.</param>
    /// <param name="quiet">Whether informational lines are left out (warnings and errors never are).</param>
    public StatusWriter(TextWriter error, Styler style, bool quiet)
    {
        _error = error;
        _style = style;
        _quiet = quiet;
    }

    /// <summary>An informational line (left out with <c>--quiet</c>).</summary>
    public void Info(string text)
    {
        if (!_quiet)
        {
            Write("xtls: " + Printable.OneLine(text));
        }
    }

    /// <summary>A warning: always shown.</summary>
    public void Warning(string text) => Write(_style.Yellow("xtls: warning: " + Printable.OneLine(text)));

    /// <summary>The one-line reason of a failure: always shown, and the last line the program writes.</summary>
    public void Failure(string text) => Write(_style.Red("xtls: error: " + Printable.OneLine(text)));

    private void Write(string line)
    {
        lock (_gate)
        {
            _error.WriteLine(line);
            _error.Flush();
        }
    }
}
