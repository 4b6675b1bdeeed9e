using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;

namespace XmppDotNet.Xtls.Trust;

/// <summary>
/// A trust store kept in a text file, one device of a contact per line
/// (<c>bare-jid fingerprint source [resources=r1,r2]</c>, source being <c>first-use</c> or <c>pinned</c>, the
/// optional last field the resources the fingerprint was seen on); see <see cref="ITrustStore"/> for the rules.
/// Files written by earlier versions (three fields, one first-use line per contact) are read as they are.
/// </summary>
/// <remarks>
/// Every operation reads the file, so entries edited by hand or written by another instance are seen at
/// once; a change is written atomically (temporary file, then rename) with mode 0600 on Unix. Operations on
/// the same file are serialised across all instances in the process; separate processes writing the same
/// file at the same moment may lose one of the two changes. A malformed file makes every operation throw
/// <see cref="TrustStoreFormatException"/> naming the line, and is never overwritten. When the file is
/// small (up to <see cref="SynchronousReadLimit"/> bytes) and no other operation on it is running, an
/// operation completes on the calling thread: the plugin then decides inside the TLS handshake, and a
/// refused peer learns it from a <c>bad_certificate</c> alert rather than from a tunnel that closes.
/// </remarks>
public sealed class FileTrustStore : ITrustStore
{
    /// <summary>Files larger than this are refused rather than read into memory.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Files up to this size are read on the calling thread (a few hundred entries; microseconds).</summary>
    public const int SynchronousReadLimit = 64 * 1024;

    /// <summary>The most devices (fingerprints) kept for one contact; a new device beyond it is refused.</summary>
    public const int MaxDevicesPerPeer = TrustBook.MaxDevicesPerPeer;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates =
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate;
    private readonly TrustOnFirstUse _tofu;
    private readonly NewDevicePolicy _newDevices;

    /// <summary>Opens (lazily) the store at <paramref name="path"/>; the file is created by the first change.</summary>
    /// <param name="path">The file.</param>
    /// <param name="tofu">Whether the first fingerprint seen for a contact is trusted and recorded.</param>
    /// <param name="newDevices">What a new device of a known contact gets (with trust on first use).</param>
    public FileTrustStore(string path, TrustOnFirstUse tofu = TrustOnFirstUse.Enabled, NewDevicePolicy newDevices = NewDevicePolicy.TrustOnFirstUse)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TrustStoreSettings.Check(tofu, newDevices);
        FilePath = Path.GetFullPath(path);
        _tofu = tofu;
        _newDevices = newDevices;
        _gate = Gates.GetOrAdd(FilePath, _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    /// <exception cref="TrustStoreFormatException">The file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default)
    {
        var (key, resource) = TrustKeys.Of(peer, presented);
        return UpdateAsync(
            book => (book.Verify(key, resource, presented, _tofu, _newDevices, out TrustResult result), result),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TrustStoreFormatException">The file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    /// <exception cref="InvalidOperationException">The contact already has <see cref="MaxDevicesPerPeer"/> devices on record.</exception>
    public async ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        var (key, resource) = TrustKeys.Of(peer, fingerprint);
        await UpdateAsync(book => (book.Pin(key, resource, fingerprint), true), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="TrustStoreFormatException">The file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        string key = peer.Bare.ToString();
        return UpdateAsync(book =>
        {
            bool removed = book.Forget(key);
            return (removed, removed);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TrustStoreFormatException">The file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public ValueTask<bool> ForgetDeviceAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        var (key, _) = TrustKeys.Of(peer, fingerprint);
        return UpdateAsync(book =>
        {
            bool removed = book.Forget(key, fingerprint);
            return (removed, removed);
        }, cancellationToken);
    }

    private ValueTask<T> UpdateAsync<T>(Func<TrustBook, (bool Changed, T Result)> operation, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested && _gate.Wait(0, CancellationToken.None))
        {
            try
            {
                if (TryLoadSmall(out TrustBook? book))
                {
                    return ValueTask.FromResult(Apply(book, operation));
                }
            }
            catch (Exception e) when (e is TrustStoreFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Reported through the task, as on the asynchronous path: callers never see a synchronous throw.
                return ValueTask.FromException<T>(e);
            }
            finally
            {
                _gate.Release();
            }
        }

        return UpdateSlowlyAsync(operation, cancellationToken);
    }

    private async ValueTask<T> UpdateSlowlyAsync<T>(Func<TrustBook, (bool Changed, T Result)> operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Apply(await LoadAsync(cancellationToken).ConfigureAwait(false), operation);
        }
        finally
        {
            _gate.Release();
        }
    }

    private T Apply<T>(TrustBook book, Func<TrustBook, (bool Changed, T Result)> operation)
    {
        (bool changed, T result) = operation(book);
        if (changed)
        {
            // Not cancellable from here on: the decision has been made and must be recorded whole.
            PrivateFile.WriteAtomically(FilePath, Encoding.UTF8.GetBytes(TrustFileFormat.Write(book)), overwrite: true);
        }

        return result;
    }

    // Reads the file on the calling thread when it is absent or small; false leaves a large file to LoadAsync.
    private bool TryLoadSmall([NotNullWhen(true)] out TrustBook? book)
    {
        var info = new FileInfo(FilePath);
        if (info.Exists && info.Length > SynchronousReadLimit)
        {
            book = null;
            return false;
        }

        string text;
        try
        {
            text = info.Exists ? File.ReadAllText(FilePath, Encoding.UTF8) : string.Empty;
        }
        catch (FileNotFoundException)
        {
            text = string.Empty;
        }

        book = text.Length == 0 ? new TrustBook() : TrustFileFormat.Parse(text, FilePath);
        return true;
    }

    private async Task<TrustBook> LoadAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(FilePath);
        if (!info.Exists)
        {
            return new TrustBook();
        }

        if (info.Length > MaxFileBytes)
        {
            throw new TrustStoreFormatException(FilePath, 0, $"the file is larger than {MaxFileBytes} bytes.");
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(FilePath, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new TrustBook();
        }

        return TrustFileFormat.Parse(text, FilePath);
    }
}
