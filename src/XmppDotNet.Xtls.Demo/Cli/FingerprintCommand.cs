using System.CommandLine;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary><c>xtls fingerprint [--identity FILE]</c>: prints this identity's SHA-256 fingerprint, creating the identity if needed.</summary>
internal static class FingerprintCommand
{

    /// <summary>Builds the command.</summary>
    public static Command Build(ProgramConsole console)
    {
        var identity = new Option<string?>("--identity")
        {
            Description = $"The identity file (PEM certificate and key); created if missing. Default: xtls/{ProgramPaths.IdentityFileName} in the user's configuration folder.",
            HelpName = "FILE",
        };
        var command = new Command(
            "fingerprint",
            "Print your identity's SHA-256 fingerprint, to read out to a contact (who passes it to --expect-fingerprint). "
            + "The identity is created on first use; the fingerprint alone goes to standard output.")
        {
            identity,
        };
        command.SetAction(parse => Run(parse.GetValue(identity), console));
        return command;
    }

    private static int Run(string? identityFile, ProgramConsole console)
    {
        var status = new StatusWriter(console.Error, Styler.For(console.IsErrorRedirected, console.GetEnvironmentVariable), quiet: false);
        string path = ProgramPaths.Identity(identityFile, console.ConfigDirectory);
        XtlsIdentity identity = IdentityLoader.LoadOrCreate(path, status);
        console.Out.WriteLine(identity.Fingerprint.ToString());
        console.Out.Flush();
        return ExitCodes.Success;
    }
}
