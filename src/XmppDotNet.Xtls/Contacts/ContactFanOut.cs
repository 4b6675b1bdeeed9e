using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// The I/O around <see cref="FanOutPlanner"/>: learns which resources of a contact support XTLS,
/// opens the missing tunnels (a bounded number at a time), writes one copy per resource and
/// collects what happened to each.
/// </summary>
internal sealed class ContactFanOut
{
    private readonly XtlsService _service;
    private readonly IContactDirectory _directory;
    private readonly SemaphoreSlim _opens;
    private readonly TimeProvider _time;

    public ContactFanOut(XtlsService service, IContactDirectory directory, SemaphoreSlim opens, TimeProvider time)
    {
        _service = service;
        _directory = directory;
        _opens = opens;
        _time = time;
    }

    private XtlsOptions Options => _service.Options;

    /// <summary>The contact's available resources with what is known about their support; unknown ones are asked, each bounded by <see cref="XtlsOptions.SupportQueryTimeout"/>.</summary>
    public async Task<IReadOnlyList<ContactResource>> DescribeAsync(Jid contact, CancellationToken cancellationToken)
    {
        IReadOnlyList<Jid> resources = _directory.GetResources(contact.Bare);
        return await Task.WhenAll(resources.Select(r => DescribeResourceAsync(r, cancellationToken).AsTask())).ConfigureAwait(false);
    }

    /// <summary>One resource's support: its tunnel, the caps or disco#info known, else the answer to disco#info.</summary>
    public async ValueTask<ContactResource> DescribeResourceAsync(Jid resource, CancellationToken cancellationToken)
    {
        if (_service.GetTunnel(resource) is not null)
        {
            return new ContactResource(resource, ResourceSupport.Supported, HasTunnel: true);
        }

        ResourceSupport known = KnownSupport(resource);
        if (known != ResourceSupport.Unknown)
        {
            return new ContactResource(resource, known, HasTunnel: false);
        }

        using var timeout = new CancellationTokenSource(Options.SupportQueryTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            bool supported = await _directory.AskSupportAsync(resource, linked.Token).ConfigureAwait(false);
            return new ContactResource(resource, supported ? ResourceSupport.Supported : ResourceSupport.NotSupported, HasTunnel: false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ContactResource(resource, ResourceSupport.Unknown, HasTunnel: false, $"no disco#info answer within {Options.SupportQueryTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is XmppException)
        {
            return new ContactResource(resource, ResourceSupport.Unknown, HasTunnel: false, "disco#info failed: " + e.Message);
        }
    }

    /// <summary>What is known without asking: the directory's caps or disco#info, or the answer remembered from a full-JID send.</summary>
    public ResourceSupport KnownSupport(Jid resource)
    {
        ResourceSupport known = _directory.KnownSupport(resource);
        return known == ResourceSupport.Unknown && _service.IsKnownWithoutXtls(resource) ? ResourceSupport.NotSupported : known;
    }

    /// <summary>Opens a tunnel unless one is open, at most <see cref="XtlsOptions.MaxConcurrentContactOpens"/> at a time.</summary>
    public async Task<XtlsTunnel> OpenAsync(Jid resource, CancellationToken cancellationToken)
    {
        if (_service.GetTunnel(resource) is { } open)
        {
            return open;
        }

        await _opens.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _service.OpenAsync(resource, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _opens.Release();
        }
    }

    /// <summary>
    /// Delivers a stanza to a contact's bare JID under a policy: one copy per resource, as planned.
    /// <paramref name="dispatched"/> completes once every copy was written (not yet acknowledged), so
    /// that the next stanza to the same contact cannot overtake this one.
    /// </summary>
    /// <exception cref="XtlsContactSendException">A copy failed, or none could be sent.</exception>
    public async Task<IReadOnlyList<ContactDelivery>> SendAsync(XElement stanza, Jid contact, ContactPolicy policy, Func<XElement, Task> write, TaskCompletionSource dispatched)
    {
        Task[] writes;
        ContactSendOutcome outcome;
        try
        {
            IReadOnlyList<ContactResource> resources = await DescribeAsync(contact, CancellationToken.None).ConfigureAwait(false);
            FanOutPlan plan = FanOutPlanner.Plan(contact, policy, resources, Options.Tunnels.MaxTunnelsPerBareJid);
            outcome = new ContactSendOutcome(contact, plan.Failures);
            if (plan.ToBareInClear)
            {
                await WriteUnchangedAsync(stanza, contact, write, dispatched, outcome).ConfigureAwait(false);
                return outcome.DeliveredCopies;
            }

            // Open what is missing first, so that the copies are written together and in order.
            Dictionary<Jid, XtlsTunnel?> hadTunnel = resources.Where(r => r.HasTunnel).ToDictionary(r => r.Jid, r => _service.GetTunnel(r.Jid));
            var opened = await Task.WhenAll(plan.ThroughTunnel.Select(OpenForCopyAsync)).ConfigureAwait(false);
            var copies = new List<Task>();
            foreach (Jid resource in plan.InClear)
            {
                copies.Add(Track(write(CopyFor(stanza, resource).SendInClear()), resource, throughTunnel: false, outcome));
            }

            foreach ((Jid resource, Exception? failure) in opened)
            {
                if (failure is not null)
                {
                    outcome.Failed(ContactSendOutcome.TunnelFailure(resource, failure));
                    continue;
                }

                Task sent = write(CopyFor(stanza, resource).OnlyThroughTunnel());
                copies.Add(Track(hadTunnel.TryGetValue(resource, out XtlsTunnel? old) ? RetryIfStaleAsync(sent, stanza, resource, old, write) : sent, resource, throughTunnel: true, outcome));
            }

            writes = [.. copies];
        }
        finally
        {
            dispatched.TrySetResult();
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
        return outcome.ToException() is { } error ? throw error : outcome.DeliveredCopies;
    }

    private static async Task WriteUnchangedAsync(XElement stanza, Jid contact, Func<XElement, Task> write, TaskCompletionSource dispatched, ContactSendOutcome outcome)
    {
        Task written = write(stanza);
        dispatched.TrySetResult();
        await written.ConfigureAwait(false);
        outcome.Delivered(contact.Bare, throughTunnel: false);
    }

    // Each copy is addressed to the resource's full JID: the receiver restores from/to from the outer IQ.
    private static XElement CopyFor(XElement stanza, Jid resource)
    {
        var copy = new XElement(stanza);
        copy.SetAttributeValue("to", resource.ToString());
        return copy;
    }

    private static async Task Track(Task write, Jid resource, bool throughTunnel, ContactSendOutcome outcome)
    {
        try
        {
            await write.ConfigureAwait(false);
            outcome.Delivered(resource, throughTunnel);
        }
        catch (Exception e) when (e is XtlsTunnelException or TunnelBackpressureException)
        {
            outcome.Failed(ContactSendOutcome.TunnelFailure(resource, e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome.Failed(new ContactCopyFailure(resource, ContactSendFailureReason.SendFailed, e.Message, e));
        }
    }

    // A tunnel open before this send may be stale: the resource logged in again and its new session
    // answers our data with item-not-found, or the server with an offline error: nothing was decrypted,
    // so one new tunnel and one more try cannot duplicate it.
    private async Task RetryIfStaleAsync(Task sent, XElement stanza, Jid resource, XtlsTunnel? stale, Func<XElement, Task> write)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (XtlsTunnelException e) when (e.Reason == TunnelCloseReason.PeerGone)
        {
            await UntilGoneAsync(resource, stale).ConfigureAwait(false);
            await OpenAsync(resource, CancellationToken.None).ConfigureAwait(false);
            await write(CopyFor(stanza, resource).OnlyThroughTunnel()).ConfigureAwait(false);
        }
    }

    // The copy's failure can be reported before the service has let go of the stale tunnel; opening then would
    // return that very tunnel. Waits (bounded) until the service has seen it end.
    private async Task UntilGoneAsync(Jid resource, XtlsTunnel? stale)
    {
        if (stale is null || !ReferenceEquals(_service.GetTunnel(resource), stale))
        {
            return;
        }

        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnClosed(object? sender, XtlsTunnelClosedEventArgs e)
        {
            if (e.Peer == resource)
            {
                gone.TrySetResult();
            }
        }

        _service.TunnelClosed += OnClosed;
        try
        {
            if (ReferenceEquals(_service.GetTunnel(resource), stale))
            {
                await gone.Task.WaitAsync(Options.Tunnels.CloseTimeout, _time).ConfigureAwait(false);
            }
        }
        finally
        {
            _service.TunnelClosed -= OnClosed;
        }
    }

    private async Task<(Jid Resource, Exception? Failure)> OpenForCopyAsync(Jid resource)
    {
        try
        {
            await OpenAsync(resource, CancellationToken.None).ConfigureAwait(false);
            return (resource, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (resource, e);
        }
    }
}
