using XmppDotNet.Xtls.Demo.Chat;

namespace XmppDotNet.Xtls.Demo.Tests.Chat;

[TestFixture]
public sealed class BoundedLineReaderTests
{
    private static readonly string[] FourLines = ["one", "two", "three", "four"];
    private static readonly string[] AAndB = ["a", "b"];
    private static readonly string[] TwoEmptyAndX = [string.Empty, string.Empty, "x"];

    [Test]
    public async Task It_splits_on_every_kind_of_line_ending_and_keeps_a_last_line_without_one()
    {
        var reader = new BoundedLineReader(new StringReader("one\ntwo\r\nthree\rfour"), 100);

        Assert.That(await ReadAllAsync(reader), Is.EqualTo(FourLines));
    }

    [Test]
    public async Task Empty_lines_are_lines_and_the_end_is_null()
    {
        var reader = new BoundedLineReader(new StringReader("\n\nx\n"), 100);

        Assert.That(await ReadAllAsync(reader), Is.EqualTo(TwoEmptyAndX));
        Assert.That(await reader.ReadLineAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_CRLF_split_across_reads_is_one_line_ending()
    {
        var reader = new BoundedLineReader(new OneCharAtATime("a\r\nb"), 100);

        Assert.That(await ReadAllAsync(reader), Is.EqualTo(AAndB));
    }

    [Test]
    public async Task A_line_at_the_bound_is_read_and_one_beyond_it_is_refused()
    {
        var atBound = new BoundedLineReader(new StringReader(new string('x', 10) + "\n"), 10);
        var beyond = new BoundedLineReader(new StringReader(new string('x', 11) + "\n"), 10);

        Assert.That(await atBound.ReadLineAsync(CancellationToken.None), Has.Length.EqualTo(10));
        InvalidDataException? error = await Assert.ThrowsAsync<InvalidDataException>(async () => await beyond.ReadLineAsync(CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("a line of input is longer than 10 characters"));
    }

    [Test]
    public async Task Input_without_any_line_break_is_refused_without_reading_it_all()
    {
        var endless = new EndlessReader();
        var reader = new BoundedLineReader(endless, 1000);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(CancellationToken.None));
        Assert.That(endless.CharsRead, Is.LessThan(10_000));
    }

    private static async Task<List<string>> ReadAllAsync(BoundedLineReader reader)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private sealed class OneCharAtATime(string text) : TextReader
    {
        private int _position;

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == text.Length || buffer.IsEmpty)
            {
                return ValueTask.FromResult(0);
            }

            buffer.Span[0] = text[_position++];
            return ValueTask.FromResult(1);
        }
    }

    private sealed class EndlessReader : TextReader
    {
        public int CharsRead { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            buffer.Span.Fill('x');
            CharsRead += buffer.Length;
            return ValueTask.FromResult(buffer.Length);
        }
    }
}
