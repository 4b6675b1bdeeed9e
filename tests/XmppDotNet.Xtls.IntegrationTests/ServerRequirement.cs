using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests;

/// <summary>
/// The rule of <see cref="ProsodyRequirement"/> for the other servers, checked where a fixture starts one:
/// missing, the fixture's tests are ignored with an install hint, unless XTLS_REQUIRE_SERVER=1 (as in CI),
/// where a missing server is a failure.
/// </summary>
public static class ServerRequirement
{
    /// <summary>Ignores or fails the running fixture when ejabberd is not installed.</summary>
    public static void RequireEjabberd() =>
        Enforce(EjabberdInstallation.Locate() is not null, EjabberdInstallation.InstallHint);

    /// <summary>Applies <see cref="ProsodyRequirement.Decide"/> to a server that is or is not installed.</summary>
    public static void Enforce(bool installed, string installHint)
    {
        string variable = ProsodyRequirement.RequireServerVariable;
        switch (ProsodyRequirement.Decide(installed, Environment.GetEnvironmentVariable(variable)))
        {
            case ProsodyRequirement.Verdict.Fail:
                Assert.Fail($"{installHint} ({variable}=1 makes this a failure).");
                break;
            case ProsodyRequirement.Verdict.Ignore:
                Assert.Ignore($"{installHint} (set {variable}=1 to fail instead of ignoring).");
                break;
            default:
                break;
        }
    }
}
