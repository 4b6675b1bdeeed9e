using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>Thrown when a per-contact policy would exceed <see cref="XtlsOptions.MaxContactPolicies"/>.</summary>
public sealed class ContactPolicyLimitException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public ContactPolicyLimitException()
        : this("Too many per-contact policies.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ContactPolicyLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ContactPolicyLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the bound that was hit.</summary>
    /// <param name="contact">The contact whose policy was refused.</param>
    /// <param name="limit">The bound.</param>
    public ContactPolicyLimitException(Jid contact, int limit)
        : base($"A policy for {contact} would exceed the limit of {limit} per-contact policies; clear one first.")
    {
        Contact = contact;
        Limit = limit;
    }

    /// <summary>The contact whose policy was refused, when known.</summary>
    public Jid? Contact { get; }

    /// <summary>The bound.</summary>
    public int Limit { get; }
}
