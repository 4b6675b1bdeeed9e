using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>The per-contact policies of a session, by bare JID, bounded; thread-safe.</summary>
internal sealed class ContactPolicies
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Jid, ContactPolicy> _byContact = [];
    private readonly int _limit;

    public ContactPolicies(ContactPolicy defaultPolicy, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        Default = defaultPolicy;
        _limit = limit;
    }

    public ContactPolicy Default { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byContact.Count;
            }
        }
    }

    /// <summary>Sets a contact's policy (by its bare JID).</summary>
    /// <exception cref="ContactPolicyLimitException">A new entry would exceed the bound.</exception>
    public void Set(Jid contact, ContactPolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown policy.");
        }

        Jid bare = contact.Bare;
        lock (_gate)
        {
            if (!_byContact.ContainsKey(bare) && _byContact.Count >= _limit)
            {
                throw new ContactPolicyLimitException(bare, _limit);
            }

            _byContact[bare] = policy;
        }
    }

    /// <summary>Forgets a contact's own policy: the default applies again.</summary>
    public bool Remove(Jid contact)
    {
        lock (_gate)
        {
            return _byContact.Remove(contact.Bare);
        }
    }

    /// <summary>The policy set for the contact of this JID, or the default.</summary>
    public ContactPolicy Get(Jid contact)
    {
        lock (_gate)
        {
            return _byContact.TryGetValue(contact.Bare, out ContactPolicy policy) ? policy : Default;
        }
    }
}
