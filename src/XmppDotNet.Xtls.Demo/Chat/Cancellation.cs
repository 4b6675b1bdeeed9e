namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>Cancellation as a task, for <see cref="Task.WhenAny(Task[])"/>.</summary>
internal static class Cancellation
{
    /// <summary>A task that completes (successfully) when the token is cancelled, and never otherwise.</summary>
    public static Task AsTask(CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled);
        return cancelled.Task;
    }
}
