using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Host.Session;

/// <summary>
/// Short unique stanza ids: a random per-session prefix (so ids of an earlier connection never
/// collide with new ones) and a base-36 counter. Compact ids keep per-stanza overhead small.
/// </summary>
public sealed class IdGenerator
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private readonly string _prefix;
    private long _counter;

    /// <summary>Creates a generator with a random four-character prefix.</summary>
    public IdGenerator()
        : this(RandomNumberGenerator.GetString(Alphabet, 4))
    {
    }

    /// <summary>Creates a generator with the given prefix.</summary>
    public IdGenerator(string prefix) => _prefix = prefix;

    /// <summary>The next id.</summary>
    public string Next()
    {
        long n = Interlocked.Increment(ref _counter);
        Span<char> digits = stackalloc char[13];
        int pos = digits.Length;
        do
        {
            digits[--pos] = Alphabet[(int)(n % 36)];
            n /= 36;
        }
        while (n > 0);
        return string.Concat(_prefix, digits[pos..]);
    }
}
