using Microsoft.Extensions.Logging;
using XmppDotNet.Xtls.Diagnostics;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// Opens a tunnel to each resource of a contact (policy not <see cref="ContactPolicy.Off"/>) as it
/// becomes available with XTLS (<see cref="XtlsOptions.OpenOnPresence"/>): a bounded number at a time,
/// never more per contact than <see cref="Tunnels.TunnelManagerOptions.MaxTunnelsPerBareJid"/>.
/// </summary>
internal sealed class PresenceOpener
{
    private readonly XtlsContacts _contacts;
    private readonly ContactFanOut _fanOut;
    private readonly IContactDirectory _directory;
    private readonly XtlsService _service;
    private readonly ILogger _logger;
    private readonly PresenceOpenQueue _queue;

    public PresenceOpener(XtlsContacts contacts, ContactFanOut fanOut, IContactDirectory directory, XtlsService service, ILogger logger)
    {
        _contacts = contacts;
        _fanOut = fanOut;
        _directory = directory;
        _service = service;
        _logger = logger;
        _queue = new PresenceOpenQueue(service.Options.MaxConcurrentContactOpens, service.Options.Tunnels.MaxTunnels);
        directory.ResourceAvailable += (resource, isNew) => Consider(resource);
        directory.SupportKnown += (resource, supported) =>
        {
            if (supported)
            {
                Consider(resource);
            }
        };
        directory.ResourceUnavailable += resource => _queue.Remove(resource);
    }

    /// <summary>Opens being made or waiting, for tests and leak checks.</summary>
    internal int Pending => _queue.Running + _queue.Waiting;

    private void Consider(Jid resource)
    {
        if (!resource.IsFull
            || _contacts.PolicyFor(resource) == ContactPolicy.Off
            || _service.GetTunnel(resource) is not null
            || _fanOut.KnownSupport(resource) == ResourceSupport.NotSupported)
        {
            return;
        }

        if (_queue.Enqueue(resource))
        {
            Pump();
        }
    }

    private void Pump()
    {
        while (_queue.TryStart(out Jid? resource))
        {
            _ = RunAsync(resource!);
        }
    }

    private async Task RunAsync(Jid resource)
    {
        bool claimed = false;
        try
        {
            await Task.Yield(); // never open on the presence handler's stack
            if (!_directory.GetResources(resource.Bare).Contains(resource) || _service.GetTunnel(resource) is not null)
            {
                return;
            }

            int limit = _service.Options.Tunnels.MaxTunnelsPerBareJid;
            claimed = _queue.TryClaim(resource, _contacts.GetTunnels(resource.Bare).Count, limit);
            if (!claimed)
            {
                XtlsLog.ContactLimitReached(_logger, resource.ToString(), limit);
                return;
            }

            ContactResource described = await _fanOut.DescribeResourceAsync(resource, CancellationToken.None).ConfigureAwait(false);
            if (described.Support == ResourceSupport.Supported && !described.HasTunnel)
            {
                await _fanOut.OpenAsync(resource, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The tunnel's failure is reported by TunnelClosed; the next send to the contact tries again.
            XtlsLog.PresenceOpenFailed(_logger, resource.ToString(), e.Message);
        }
        finally
        {
            if (claimed)
            {
                _queue.Unclaim(resource);
            }

            _queue.Finished(resource);
            Pump();
        }
    }
}
