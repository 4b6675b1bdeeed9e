namespace XmppDotNet.Xtls.Fuzz;

/// <summary>Reads one input, cut at a bound so that no input costs more than a few milliseconds.</summary>
internal static class FuzzInput
{
    /// <summary>The most bytes of an input a target looks at.</summary>
    public const int MaxBytes = 64 * 1024;

    public static byte[] Read(Stream stream)
    {
        var buffer = new byte[MaxBytes];
        int length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    public static byte[] Bound(byte[] input) => input.Length <= MaxBytes ? input : input[..MaxBytes];
}
