namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>Where the <c>prosody</c> and <c>prosodyctl</c> programs are installed.</summary>
/// <param name="ProsodyPath">The full path of <c>prosody</c>.</param>
/// <param name="ProsodyCtlPath">The full path of <c>prosodyctl</c>.</param>
public sealed record ProsodyInstallation(string ProsodyPath, string ProsodyCtlPath)
{
    /// <summary>What to tell a developer whose machine has no Prosody.</summary>
    public const string InstallHint = "Prosody is not installed (no 'prosody' on PATH): sudo apt-get install prosody";

    /// <summary>Finds both programs on PATH, or returns null when either is missing.</summary>
    public static ProsodyInstallation? Locate()
    {
        var prosody = FindOnPath("prosody");
        var prosodyCtl = FindOnPath("prosodyctl");
        return prosody is null || prosodyCtl is null ? null : new ProsodyInstallation(prosody, prosodyCtl);
    }

    /// <summary>Finds both programs or throws <see cref="ProsodyStartException"/> with the install hint.</summary>
    public static ProsodyInstallation Require() =>
        Locate() ?? throw new ProsodyStartException(InstallHint);

    private static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }
}
