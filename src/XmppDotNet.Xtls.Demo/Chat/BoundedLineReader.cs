using System.Text;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// Reads lines from standard input with a bound on their length, so that input without line breaks cannot
/// take all memory. Accepts <c>\n</c>, <c>\r\n</c> and <c>\r</c> endings; a last line without an ending counts.
/// </summary>
internal sealed class BoundedLineReader
{
    private readonly TextReader _reader;
    private readonly int _maxChars;
    private readonly char[] _buffer = new char[4096];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;
    private bool _skipLineFeed;
    private bool _ended;

    /// <summary>Creates the reader.</summary>
    /// <param name="reader">The input.</param>
    /// <param name="maxChars">The longest line accepted, in characters.</param>
    public BoundedLineReader(TextReader reader, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        _reader = reader;
        _maxChars = maxChars;
    }

    /// <summary>The next line without its ending, or <c>null</c> at the end of input.</summary>
    /// <exception cref="InvalidDataException">A line is longer than the bound.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_start < _end)
            {
                char c = _buffer[_start++];
                if (_skipLineFeed)
                {
                    _skipLineFeed = false;
                    if (c == '\n')
                    {
                        continue;
                    }
                }

                if (c is '\n' or '\r')
                {
                    _skipLineFeed = c == '\r';
                    return Take();
                }

                if (_line.Length == _maxChars)
                {
                    throw new InvalidDataException($"a line of input is longer than {_maxChars} characters");
                }

                _line.Append(c);
            }

            if (_ended)
            {
                return _line.Length > 0 ? Take() : null;
            }

            _start = 0;
            _end = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            _ended = _end == 0;
        }
    }

    private string Take()
    {
        string line = _line.ToString();
        _line.Clear();
        return line;
    }
}
