using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary>
/// The help of <c>xtls</c>: System.CommandLine's help, followed by more text for the command it is about (how
/// <c>chat</c> behaves, the exit codes), so that the list of commands keeps one short line per command.
/// </summary>
internal sealed class ExtendedHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction _standard;
    private readonly IReadOnlyDictionary<Command, string> _more;

    /// <summary>Creates the action.</summary>
    /// <param name="standard">The standard help.</param>
    /// <param name="more">The text added after the standard help of each command.</param>
    public ExtendedHelpAction(HelpAction standard, IReadOnlyDictionary<Command, string> more)
    {
        _standard = standard;
        _more = more;
    }

    /// <inheritdoc />
    public override bool ClearsParseErrors => true;

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        _standard.Invoke(parseResult);
        if (_more.TryGetValue(parseResult.CommandResult.Command, out string? more))
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(more);
            output.WriteLine();
            output.Flush();
        }

        return ExitCodes.Success;
    }
}
