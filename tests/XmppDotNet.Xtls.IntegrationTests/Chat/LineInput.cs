using System.Threading.Channels;

namespace XmppDotNet.Xtls.IntegrationTests.Chat;

/// <summary>Standard input for a program run in-process: the test writes lines when it wants and ends the input when it wants.</summary>
internal sealed class LineInput : TextReader
{
    private readonly Channel<string> _chunks = Channel.CreateUnbounded<string>();
    private string _current = string.Empty;
    private int _position;

    /// <summary>Writes a line, as typed or piped.</summary>
    public void WriteLine(string line) => _chunks.Writer.TryWrite(line + "\n");

    /// <summary>Ends the input, as Ctrl-D or the end of a pipe.</summary>
    public void End() => _chunks.Writer.TryComplete();

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        while (_position == _current.Length)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }

            if (_chunks.Reader.TryRead(out string? next))
            {
                _current = next;
                _position = 0;
            }
        }

        int count = Math.Min(buffer.Length, _current.Length - _position);
        _current.AsSpan(_position, count).CopyTo(buffer.Span);
        _position += count;
        return count;
    }

    public override int Read(char[] buffer, int index, int count) =>
        ReadAsync(buffer.AsMemory(index, count)).AsTask().GetAwaiter().GetResult();
}
