using System.Text;

namespace XmppDotNet.Xtls.IntegrationTests.Prosody;

/// <summary>Searches everything a test server wrote (log, data, configuration) for byte strings.</summary>
internal static class ServerFiles
{
    /// <summary>More than a test server writes; a bigger file is a failure, not something to read into memory.</summary>
    private const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The files under <paramref name="root"/> whose bytes contain <paramref name="text"/> (UTF-8, ordinal), as relative paths.</summary>
    public static IReadOnlyList<string> Containing(string root, string text)
    {
        byte[] needle = Encoding.UTF8.GetBytes(text);
        var hits = new List<string>();
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (Read(file).AsSpan().IndexOf(needle) >= 0)
            {
                hits.Add(Path.GetRelativePath(root, file));
            }
        }

        return hits;
    }

    /// <summary>
    /// The forms <paramref name="text"/> takes inside any Base64 stream: whatever its offset, one of
    /// its suffixes starts on a 3-byte boundary and is encoded as these characters.
    /// </summary>
    public static IReadOnlyList<string> Base64Forms(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return [.. Enumerable.Range(0, 3).Select(skip =>
        {
            int whole = (bytes.Length - skip) / 3 * 3;
            return Convert.ToBase64String(bytes, skip, whole);
        })];
    }

    private static byte[] Read(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > MaxFileBytes)
        {
            throw new InvalidOperationException($"{file} has {stream.Length} bytes, more than a test server should write.");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
