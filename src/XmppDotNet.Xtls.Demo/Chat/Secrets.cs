using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>Passwords come from an environment variable or a no-echo prompt, never from the command line (other users can read it).</summary>
internal static class Secrets
{
    /// <summary>The secret from <paramref name="variable"/>, else typed at a prompt.</summary>
    /// <exception cref="ProgramFailure">Neither is available (exit code 2).</exception>
    public static char[] Require(ProgramConsole console, string variable, string prompt, string what)
    {
        ArgumentNullException.ThrowIfNull(console);
        string? value = console.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value.ToCharArray();
        }

        if (console.ReadSecret is not { } read)
        {
            throw ProgramFailure.Usage($"no {what}: set {variable} (standard input is not a terminal, so there is no prompt)");
        }

        char[]? typed = read(prompt);
        return typed is { Length: > 0 } ? typed : throw ProgramFailure.Usage($"no {what} was entered");
    }
}
