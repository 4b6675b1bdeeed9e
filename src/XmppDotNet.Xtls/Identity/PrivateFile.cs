using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Identity;

/// <summary>
/// Writes files that hold secrets or trust decisions: readable by the owner only (mode 0600 on Unix) and
/// replaced atomically (written to a temporary file in the same directory, then renamed), so a crash never
/// leaves a half-written file behind.
/// </summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically with owner-only permissions.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="content">The complete new content.</param>
    /// <param name="overwrite">Whether an existing file is replaced; if not, an existing file makes this throw <see cref="IOException"/>.</param>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, bool overwrite)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException("The path has no parent directory.", nameof(path));
        EnsureDirectory(directory);

        string temporary = Path.Combine(
            directory,
            "." + Path.GetFileName(fullPath) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + ".tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerReadWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // The creation mode is filtered by the umask; set it explicitly.
                    File.SetUnixFileMode(stream.SafeFileHandle, OwnerReadWrite);
                }

                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error is what matters.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
