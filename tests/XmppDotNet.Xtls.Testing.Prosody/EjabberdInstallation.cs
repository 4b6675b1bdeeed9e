using System.Text.RegularExpressions;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// Where ejabberd and its Erlang runtime are installed. A test instance is started with <c>erl</c> directly
/// (as <c>ejabberdctl foreground</c> would, without its switch to the <c>ejabberd</c> system user and its
/// shared defaults), so only the paths <c>ejabberdctl</c> itself uses are read from it.
/// </summary>
/// <param name="ErlPath">The full path of <c>erl</c>.</param>
/// <param name="ErlLibs">The directory holding the <c>ejabberd-*</c> application and its dependencies (ERL_LIBS).</param>
/// <param name="Version">The ejabberd version of the application directory, e.g. <c>23.01</c>.</param>
public sealed partial record EjabberdInstallation(string ErlPath, string ErlLibs, string Version)
{
    /// <summary>What to tell a developer whose machine has no ejabberd.</summary>
    public const string InstallHint = "ejabberd is not installed (no 'ejabberdctl' with an Erlang runtime): sudo apt-get install ejabberd";

    private static readonly string[] SbinDirectories = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

    /// <summary>Finds <c>ejabberdctl</c>, the <c>erl</c> and ERL_LIBS it names, and the ejabberd application there; null when any is missing.</summary>
    public static EjabberdInstallation? Locate()
    {
        var ctl = FindProgram("ejabberdctl");
        if (ctl is null)
        {
            return null;
        }

        string script;
        try
        {
            script = File.ReadAllText(ctl);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var erl = ErlLine().Match(script) is { Success: true } erlMatch ? erlMatch.Groups[1].Value : FindProgram("erl");
        var libs = ErlLibsLine().Match(script) is { Success: true } libsMatch ? libsMatch.Groups[1].Value : null;
        if (erl is null || !File.Exists(erl) || libs is null || !Directory.Exists(libs))
        {
            return null;
        }

        var application = Directory.EnumerateDirectories(libs, "ejabberd-*")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Select(name => ApplicationDirectory().Match(name))
            .FirstOrDefault(m => m.Success && File.Exists(Path.Combine(libs, m.Value, "ebin", "ejabberd.app")));
        return application is null ? null : new EjabberdInstallation(erl, libs, application.Groups[1].Value);
    }

    /// <summary>Finds the installation or throws <see cref="EjabberdStartException"/> with the install hint.</summary>
    public static EjabberdInstallation Require() =>
        Locate() ?? throw new EjabberdStartException(InstallHint);

    private static string? FindProgram(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(SbinDirectories)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }

    [GeneratedRegex("^ERL=\"([^\"$`]+)\"", RegexOptions.Multiline)]
    private static partial Regex ErlLine();

    [GeneratedRegex("^ERL_LIBS='([^'$`]+)'", RegexOptions.Multiline)]
    private static partial Regex ErlLibsLine();

    [GeneratedRegex("^ejabberd-([0-9]+(\\.[0-9]+)*)(-[0-9]+)?$")]
    private static partial Regex ApplicationDirectory();
}
