namespace XmppDotNet.Xtls.Host.Tests.StreamManagement;

/// <summary>Waits for a condition that another thread makes true, bounded so that only a hang fails.</summary>
internal static class Waits
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var bound = new CancellationTokenSource(ScriptedSmServer.Bound);
        while (!condition())
        {
            if (bound.IsCancellationRequested)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }
}
