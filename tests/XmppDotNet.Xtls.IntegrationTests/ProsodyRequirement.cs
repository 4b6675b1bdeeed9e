using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests;

/// <summary>
/// Runs before every test of this assembly (they all live in this namespace or below it).
/// Without Prosody the integration tests are ignored with an install hint, unless
/// XTLS_REQUIRE_SERVER=1 (as in CI), where a missing server is a failure.
/// </summary>
[SetUpFixture]
public sealed class ProsodyRequirement
{
    /// <summary>Set to 1 to make a missing Prosody fail the tests instead of ignoring them.</summary>
    public const string RequireServerVariable = "XTLS_REQUIRE_SERVER";

    /// <summary>What to do when a test run starts.</summary>
    public enum Verdict
    {
        /// <summary>Prosody is there: run the tests.</summary>
        Run,

        /// <summary>No Prosody, and none required: ignore the tests.</summary>
        Ignore,

        /// <summary>No Prosody, but one is required: fail the tests.</summary>
        Fail,
    }

    /// <summary>The rule, kept apart from the environment so that it can be tested.</summary>
    public static Verdict Decide(bool prosodyInstalled, string? requireServer) =>
        prosodyInstalled ? Verdict.Run
        : requireServer == "1" ? Verdict.Fail
        : Verdict.Ignore;

    [OneTimeSetUp]
    public void RequireProsody()
    {
        var verdict = Decide(ProsodyInstallation.Locate() is not null, Environment.GetEnvironmentVariable(RequireServerVariable));
        switch (verdict)
        {
            case Verdict.Fail:
                Assert.Fail($"{ProsodyInstallation.InstallHint} ({RequireServerVariable}=1 makes this a failure).");
                break;
            case Verdict.Ignore:
                Assert.Ignore($"{ProsodyInstallation.InstallHint} (set {RequireServerVariable}=1 to fail instead of ignoring).");
                break;
            default:
                break;
        }
    }
}
