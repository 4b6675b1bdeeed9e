using System.Globalization;
using System.Text;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Contacts;

/// <summary>
/// A stanza to a contact was not delivered to every resource it was meant for: lists which copies
/// were delivered (and how) and which failed and why.
/// </summary>
public sealed class XtlsContactSendException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XtlsContactSendException()
        : this("The stanza to the contact was not delivered.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XtlsContactSendException(string message)
        : base(message)
    {
        Delivered = [];
        Failures = [];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public XtlsContactSendException(string message, Exception innerException)
        : base(message, innerException)
    {
        Delivered = [];
        Failures = [];
    }

    /// <summary>Creates the exception for a send to a contact.</summary>
    /// <param name="contact">The contact's bare JID.</param>
    /// <param name="delivered">The copies that were delivered.</param>
    /// <param name="failures">The copies that failed (at least one).</param>
    public XtlsContactSendException(Jid contact, IReadOnlyList<ContactDelivery> delivered, IReadOnlyList<ContactCopyFailure> failures)
        : base(Describe(contact, delivered, failures), failures.Count > 0 ? failures[0].Cause : null)
    {
        Contact = contact;
        Delivered = delivered;
        Failures = failures;
    }

    /// <summary>The contact's bare JID, when known.</summary>
    public Jid? Contact { get; }

    /// <summary>The copies that were delivered.</summary>
    public IReadOnlyList<ContactDelivery> Delivered { get; }

    /// <summary>The copies that failed, each with its reason.</summary>
    public IReadOnlyList<ContactCopyFailure> Failures { get; }

    private static string Describe(Jid contact, IReadOnlyList<ContactDelivery> delivered, IReadOnlyList<ContactCopyFailure> failures)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The stanza to {contact} failed for {failures.Count} resource(s)");
        text.Append(CultureInfo.InvariantCulture, $" and was delivered to {delivered.Count}");
        foreach (ContactCopyFailure failure in failures.Take(8))
        {
            text.Append(CultureInfo.InvariantCulture, $"; {failure.Resource}: {failure.Reason} ({failure.Detail})");
        }

        if (failures.Count > 8)
        {
            text.Append(CultureInfo.InvariantCulture, $"; and {failures.Count - 8} more");
        }

        return text.Append('.').ToString();
    }
}
