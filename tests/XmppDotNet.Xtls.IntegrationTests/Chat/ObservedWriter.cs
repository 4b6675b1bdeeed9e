using System.Text;

namespace XmppDotNet.Xtls.IntegrationTests.Chat;

/// <summary>Standard output or error of a program run in-process: collects lines and lets a test wait for one.</summary>
internal sealed class ObservedWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _all = new();
    private readonly StringBuilder _partial = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The complete lines so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value)
    {
        TaskCompletionSource? signal = null;
        lock (_gate)
        {
            _all.Append(value);
            if (value == '\n')
            {
                _lines.Add(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
                signal = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _partial.Append(value);
            }
        }

        signal?.TrySetResult();
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    /// <summary>Waits for a line that matches; fails the test with everything written so far if none comes in time.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan bound, string what)
    {
        using var timeout = new CancellationTokenSource(bound);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                string? found = _lines.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No line {what} within {bound.TotalSeconds} s. Written so far:\n{this}");
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _all.ToString();
        }
    }
}
