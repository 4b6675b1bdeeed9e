namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>How a program ended and what it wrote.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() => $"{Command}\nexit code {ExitCode}\n--- standard output ---\n{Output}\n--- standard error ---\n{Error}";
}
