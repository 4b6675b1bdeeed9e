using System.Threading.Channels;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>An accept policy that decides only when the test says so, and records every question it was asked.</summary>
internal sealed class DecisionPolicy
{
    public Channel<Question> Questions { get; } = Channel.CreateUnbounded<Question>();

    public ValueTask<bool> AskAsync(IncomingTunnelRequest request, CancellationToken cancellationToken)
    {
        var question = new Question(request, cancellationToken);
        Questions.Writer.TryWrite(question);
        return new ValueTask<bool>(question.Answer.Task);
    }

    /// <summary>The next question, within the bound.</summary>
    public async Task<Question> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Pipeline.XtlsPair.Bound);
        return await Questions.Reader.ReadAsync(timeout.Token);
    }

    internal sealed record Question(IncomingTunnelRequest Request, CancellationToken Withdrawn)
    {
        public TaskCompletionSource<bool> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
