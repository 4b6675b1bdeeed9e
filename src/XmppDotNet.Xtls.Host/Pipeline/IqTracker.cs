using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host.Stanzas;

namespace XmppDotNet.Xtls.Host.Pipeline;

/// <summary>
/// Correlates IQ requests with their responses (RFC 6120 §8.2.3), with a timeout and cancellation
/// for each, a bound on how many may be outstanding, and a check that the response comes from
/// the entity the request went to (so a third party cannot answer for it).
/// </summary>
public sealed class IqTracker
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly int _maxPending;
    private readonly TimeProvider _time;

    /// <summary>Creates a tracker.</summary>
    /// <param name="maxPending">How many requests may await a response at once.</param>
    /// <param name="timeProvider">The clock for timeouts.</param>
    public IqTracker(int maxPending, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        _maxPending = maxPending;
        _time = timeProvider;
    }

    /// <summary>How many requests await a response.</summary>
    public int Count => _pending.Count;

    /// <summary>Registers a request before it is sent.</summary>
    /// <param name="id">The request's id.</param>
    /// <param name="to">The request's <c>to</c>, or <c>null</c> for the account itself.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task completing with the response (result or error stanza).</returns>
    /// <exception cref="XmppException">Too many requests are outstanding, or the id is in use.</exception>
    public Task<XElement> Register(string id, Jid? to, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_pending.Count >= _maxPending)
        {
            throw new XmppException($"More than {_maxPending} IQ requests are awaiting a response.");
        }

        var pending = new Pending(id, to, new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.TryAdd(id, pending))
        {
            throw new XmppException($"An IQ request with id '{id}' is already awaiting a response.");
        }

        pending.Timer = new CancellationTokenSource(timeout, _time);
        pending.TimeoutRegistration = pending.Timer.Token.Register(
            static state =>
            {
                var (tracker, p) = ((IqTracker, Pending))state!;
                if (tracker._pending.TryRemove(new KeyValuePair<string, Pending>(p.Id, p)))
                {
                    p.Completion.TrySetException(new XmppIqTimeoutException($"No response to IQ '{p.Id}' within the timeout."));
                    p.Dispose();
                }
            },
            (this, pending));
        if (cancellationToken.CanBeCanceled)
        {
            pending.CancelRegistration = cancellationToken.Register(
                static state =>
                {
                    var (tracker, p, token) = ((IqTracker, Pending, CancellationToken))state!;
                    if (tracker._pending.TryRemove(new KeyValuePair<string, Pending>(p.Id, p)))
                    {
                        p.Completion.TrySetCanceled(token);
                        p.Dispose();
                    }
                },
                (this, pending, cancellationToken));
        }

        return pending.Completion.Task;
    }

    /// <summary>Removes a registration whose request could not be sent.</summary>
    public void Abandon(string id, Exception reason)
    {
        if (_pending.TryRemove(id, out Pending? p))
        {
            p.Completion.TrySetException(reason);
            p.Dispose();
        }
    }

    /// <summary>Completes the request a response belongs to.</summary>
    /// <param name="response">An IQ of type result or error.</param>
    /// <param name="self">The session's own JID (bare or full), to accept responses from the account itself.</param>
    /// <returns><c>true</c> if the response matched an outstanding request and was consumed.</returns>
    public bool TryComplete(XElement response, Jid self)
    {
        string? id = Stanza.GetId(response);
        if (id is null || !_pending.TryGetValue(id, out Pending? p))
        {
            return false;
        }

        Jid? from;
        try
        {
            from = Stanza.GetFrom(response);
        }
        catch (InvalidJidException)
        {
            return false;
        }

        if (!IsExpectedResponder(p.To, from, self))
        {
            return false;
        }

        if (!_pending.TryRemove(new KeyValuePair<string, Pending>(id, p)))
        {
            return false;
        }

        p.Completion.TrySetResult(response);
        p.Dispose();
        return true;
    }

    /// <summary>Fails every outstanding request (the session ended).</summary>
    public void FailAll(Exception reason)
    {
        foreach (string id in _pending.Keys)
        {
            Abandon(id, reason);
        }
    }

    // RFC 6120 §10.1.4 / §8.1.2.1: a request without 'to' (or to the own account) is answered by
    // the server on the account's behalf, with no 'from', the bare JID or the domain.
    private static bool IsExpectedResponder(Jid? to, Jid? from, Jid self)
    {
        Jid selfBare = self.Bare;
        if (to is null || to == selfBare)
        {
            return from is null || from == selfBare || from == self || from == new Jid(null, self.Domain);
        }

        return from == to;
    }

    private sealed class Pending(string id, Jid? to, TaskCompletionSource<XElement> completion) : IDisposable
    {
        public string Id { get; } = id;

        public Jid? To { get; } = to;

        public TaskCompletionSource<XElement> Completion { get; } = completion;

        public CancellationTokenSource? Timer { get; set; }

        public CancellationTokenRegistration TimeoutRegistration { get; set; }

        public CancellationTokenRegistration CancelRegistration { get; set; }

        public void Dispose()
        {
            TimeoutRegistration.Dispose();
            CancelRegistration.Dispose();
            Timer?.Dispose();
        }
    }
}
