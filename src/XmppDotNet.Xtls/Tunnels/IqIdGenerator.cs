using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// IQ ids for one session: a prefix (random unless given) followed by a base-36 counter, e.g.
/// <c>x3k9q-1f</c>. Ids are never reused, and whether an id was issued here can be told without
/// remembering it, so late answers to forgotten IQs are recognised with no memory kept.
/// </summary>
internal sealed class IqIdGenerator
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const int MaxPrefixLength = 32;
    // 36^12 fits a long, so parsing cannot overflow.
    private const int MaxCounterDigits = 12;

    private readonly string _prefix;
    private long _next = 1;

    /// <param name="prefix">The prefix: 1 to 32 characters from [A-Za-z0-9._-], or <c>null</c> for a random one.</param>
    public IqIdGenerator(string? prefix)
    {
        if (prefix is null)
        {
            Span<char> random = stackalloc char[5];
            for (int i = 0; i < random.Length; i++)
            {
                random[i] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
            }

            prefix = "x" + new string(random) + "-";
        }
        else if (prefix.Length is 0 or > MaxPrefixLength || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"An id prefix has 1 to {MaxPrefixLength} characters from [A-Za-z0-9._-].", nameof(prefix));
        }

        _prefix = prefix;
    }

    /// <summary>The next id.</summary>
    public string Next()
    {
        long value = _next++;
        Span<char> digits = stackalloc char[MaxCounterDigits];
        int pos = digits.Length;
        do
        {
            digits[--pos] = Digits[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);

        return string.Concat(_prefix, digits[pos..]);
    }

    /// <summary>Whether this generator issued the id.</summary>
    public bool Issued(string id)
    {
        if (!id.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> counter = id.AsSpan(_prefix.Length);
        if (counter.Length is 0 or > MaxCounterDigits || counter[0] == '0')
        {
            return false;
        }

        long value = 0;
        foreach (char c in counter)
        {
            int digit = Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value * 36) + digit;
        }

        return value < _next;
    }
}
