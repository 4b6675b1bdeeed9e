using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>Collects what happened to each copy of one stanza to a contact; thread-safe.</summary>
internal sealed class ContactSendOutcome
{
    private readonly Lock _gate = new();
    private readonly List<ContactDelivery> _delivered = [];
    private readonly List<ContactCopyFailure> _failures = [];

    public ContactSendOutcome(Jid contact, IEnumerable<ContactCopyFailure> planned)
    {
        Contact = contact.Bare;
        _failures.AddRange(planned);
    }

    public Jid Contact { get; }

    public void Delivered(Jid resource, bool throughTunnel)
    {
        lock (_gate)
        {
            _delivered.Add(new ContactDelivery(resource, throughTunnel));
        }
    }

    public void Failed(ContactCopyFailure failure)
    {
        lock (_gate)
        {
            _failures.Add(failure);
        }
    }

    /// <summary>Failed copies as one exception, or <c>null</c> when every copy was delivered.</summary>
    public XtlsContactSendException? ToException()
    {
        lock (_gate)
        {
            return _failures.Count == 0 ? null : new XtlsContactSendException(Contact, [.. _delivered], [.. _failures]);
        }
    }

    public IReadOnlyList<ContactDelivery> DeliveredCopies
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    /// <summary>Classifies why a copy through a tunnel failed.</summary>
    public static ContactCopyFailure TunnelFailure(Jid resource, Exception error) => error switch
    {
        XtlsTunnelException tunnel => new ContactCopyFailure(resource, ContactSendFailureReason.TunnelFailed, $"{tunnel.Reason}{(tunnel.Detail is null ? string.Empty : ": " + tunnel.Detail)}", tunnel),
        _ => new ContactCopyFailure(resource, ContactSendFailureReason.TunnelFailed, error.Message, error),
    };
}
