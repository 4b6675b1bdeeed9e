using NUnit.Framework.Interfaces;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Prosody;

/// <summary>Keeps the evidence when a test against a test server (Prosody, ejabberd) fails: call it from [TearDown].</summary>
public static class ProsodyTestReport
{
    /// <summary>
    /// When the current test failed, prints the tail of the server's log to the test output and
    /// copies the whole log next to the test results as an attachment (the server directory is
    /// deleted when the server is disposed).
    /// </summary>
    public static void ReportIfTestFailed(ITestXmppServer? server)
    {
        if (server is null || TestContext.CurrentContext.Result.Outcome.Status != TestStatus.Failed)
        {
            return;
        }

        TestContext.Out.WriteLine($"{server.Product} on {server.Host}:{server.Port} ({server.Domain}), log {server.LogPath}:");
        TestContext.Out.WriteLine(server.ReadLogTail());
        if (!File.Exists(server.LogPath))
        {
            return;
        }

        var keptLogs = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, server is ProsodyServer ? "prosody-logs" : "server-logs"));
        var safeName = string.Concat(TestContext.CurrentContext.Test.Name.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        var copy = Path.Combine(keptLogs.FullName, $"{safeName}-{server.Port}.log");
        File.Copy(server.LogPath, copy, overwrite: true);
        TestContext.AddTestAttachment(copy, server.Product + " log");
    }
}
