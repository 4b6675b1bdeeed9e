namespace XmppDotNet.Xtls.Host.Roster;

/// <summary>A contact asked to see the account's presence (a <c>subscribe</c> presence).</summary>
public sealed class SubscriptionRequestedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public SubscriptionRequestedEventArgs(Jid from, string? status, bool autoApproved)
    {
        From = from ?? throw new ArgumentNullException(nameof(from));
        Status = status;
        AutoApproved = autoApproved;
    }

    /// <summary>Who asks (bare JID).</summary>
    public Jid From { get; }

    /// <summary>The request's status text, if any (cut to 1024 characters).</summary>
    public string? Status { get; }

    /// <summary>
    /// <c>true</c> if <see cref="RosterManager.AutoApprove"/> approved it already; otherwise it is in
    /// <see cref="RosterManager.PendingRequests"/> until approved or denied.
    /// </summary>
    public bool AutoApproved { get; }
}
