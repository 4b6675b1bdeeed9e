using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Demo.Cli;

/// <summary>Loads this side's identity from its file, creating it on first use.</summary>
internal static class IdentityLoader
{
    /// <summary>Loads or creates the identity and says which happened.</summary>
    /// <exception cref="ProgramFailure">The file exists but is not a valid identity, or cannot be read or written (exit code 2).</exception>
    public static XtlsIdentity LoadOrCreate(string path, StatusWriter status)
    {
        bool existed = File.Exists(path);
        try
        {
            XtlsIdentity identity = XtlsIdentity.LoadOrCreate(path);
            status.Info(existed ? $"identity {path}" : $"created a new identity in {path} (keep this file: it is who you are to your contacts)");
            return identity;
        }
        catch (XtlsIdentityException e)
        {
            throw ProgramFailure.Usage(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ProgramFailure.Usage($"cannot use the identity file '{path}': {e.Message}", e);
        }
    }
}
