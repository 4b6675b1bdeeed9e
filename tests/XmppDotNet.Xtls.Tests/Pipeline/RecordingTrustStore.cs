using System.Collections.Concurrent;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>A trust store that records every question and answer, and can answer later rather than at once.</summary>
internal sealed class RecordingTrustStore : ITrustStore
{
    private readonly ITrustStore _inner;
    private readonly bool _answerLater;

    public RecordingTrustStore(ITrustStore inner, bool answerLater = false)
    {
        _inner = inner;
        _answerLater = answerLater;
    }

    /// <summary>Every verification, in order: the JID the store was given and its answer.</summary>
    public ConcurrentQueue<(Jid Peer, TrustResult Result)> Verified { get; } = new();

    public async ValueTask<TrustResult> VerifyAsync(Jid peer, Fingerprint presented, CancellationToken cancellationToken = default)
    {
        if (_answerLater)
        {
            await Task.Yield();
        }

        TrustResult result = await _inner.VerifyAsync(peer, presented, cancellationToken).ConfigureAwait(false);
        Verified.Enqueue((peer, result));
        return result;
    }

    public ValueTask PinAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default) =>
        _inner.PinAsync(peer, fingerprint, cancellationToken);

    public ValueTask<bool> ForgetAsync(Jid peer, CancellationToken cancellationToken = default) =>
        _inner.ForgetAsync(peer, cancellationToken);

    public ValueTask<bool> ForgetDeviceAsync(Jid peer, Fingerprint fingerprint, CancellationToken cancellationToken = default) =>
        _inner.ForgetDeviceAsync(peer, fingerprint, cancellationToken);
}
