namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary>Where the program keeps its files by default: <c>xtls/</c> in the per-user configuration folder (e.g. <c>~/.config/xtls/</c>).</summary>
internal static class ProgramPaths
{
    /// <summary>The file name of the default identity.</summary>
    public const string IdentityFileName = "identity.pem";

    /// <summary>The file name of the default known-peers file.</summary>
    public const string KnownPeersFileName = "known-peers.txt";

    /// <summary>The identity file to use: the one given, or the default.</summary>
    /// <exception cref="ProgramFailure">None is given and there is no per-user configuration folder.</exception>
    public static string Identity(string? given, string configDirectory) => given ?? Default(configDirectory, IdentityFileName, "--identity");

    /// <summary>The known-peers file to use: the one given, or the default.</summary>
    /// <exception cref="ProgramFailure">None is given and there is no per-user configuration folder.</exception>
    public static string KnownPeers(string? given, string configDirectory) => given ?? Default(configDirectory, KnownPeersFileName, "--known-peers");

    private static string Default(string configDirectory, string fileName, string option)
    {
        if (string.IsNullOrWhiteSpace(configDirectory))
        {
            throw ProgramFailure.Usage($"there is no per-user configuration folder (is HOME set?); name a file with {option}");
        }

        return Path.Combine(configDirectory, "xtls", fileName);
    }
}
