namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary>
/// Ends the program with an exit code and a one-line reason for standard error. Commands throw it for
/// every failure a user can cause or meet; anything else is a bug (exit code 1).
/// </summary>
internal sealed class ProgramFailure : Exception
{
    /// <summary>Creates the failure.</summary>
    public ProgramFailure()
        : this(ExitCodes.Failure, "the program failed")
    {
    }

    /// <summary>Creates the failure with the general exit code.</summary>
    public ProgramFailure(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    /// <summary>Creates the failure with the general exit code and a cause.</summary>
    public ProgramFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
    }

    /// <summary>Creates the failure.</summary>
    /// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
    /// <param name="message">The reason, one line, no trailing period needed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProgramFailure(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit code.</summary>
    public int ExitCode { get; }

    /// <summary>A usage error (exit code 2).</summary>
    public static ProgramFailure Usage(string message, Exception? innerException = null) => new(ExitCodes.Usage, message, innerException);
}
