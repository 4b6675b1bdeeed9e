namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>
/// Stream management (XEP-0198): acknowledgements, the queue of unacknowledged stanzas, and resumption
/// of the session after a lost connection. Used only when the server offers <c>urn:xmpp:sm:3</c>.
/// </summary>
public sealed class StreamManagementOptions
{
    /// <summary>Whether stream management is enabled when the server offers it (default <c>true</c>); when off nothing is sent.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether resumption is asked for (default <c>true</c>); without it a lost connection ends the session.</summary>
    public bool Resume { get; set; } = true;

    /// <summary>
    /// At most this many stanzas are kept unacknowledged (default 500, as Prosody's own queue); a send beyond
    /// it fails with <see cref="XmppUnacknowledgedQueueFullException"/>.
    /// </summary>
    public int MaxUnacknowledgedStanzas { get; set; } = 500;

    /// <summary>At most this many bytes (serialized) are kept unacknowledged (default 8 MiB); beyond it a send fails the same way.</summary>
    public long MaxUnacknowledgedBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>An acknowledgement is requested after this many stanzas (default 10).</summary>
    public int AckRequestEvery { get; set; } = 10;

    /// <summary>An acknowledgement is requested at the latest this long after a stanza was sent (default 1 s).</summary>
    public TimeSpan AckRequestDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many reconnections a resumption tries (default 6).</summary>
    public int MaxResumeAttempts { get; set; } = 6;

    /// <summary>The wait before the first reconnection (default 200 ms); it doubles after each failed one.</summary>
    public TimeSpan FirstReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two reconnections (default 10 s).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The whole resumption, all attempts, takes at most this long (default 2 min; a server keeps a lost
    /// session at least this long: Prosody 10 min, ejabberd 5 min by default).
    /// </summary>
    public TimeSpan ResumeTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether a failed resumption is followed by a new session (bind, roster, presence; default <c>false</c>).
    /// Either way the old session ends first (<see cref="Client.XmppClient.ResumptionFailed"/>, then
    /// <see cref="Session.ISession.Closed"/>), with everything it held: tunnels, pending IQs.
    /// </summary>
    public bool NewSessionAfterFailedResumption { get; set; }

    internal void Validate()
    {
        if (MaxUnacknowledgedStanzas < 1 || MaxUnacknowledgedBytes < 1 || AckRequestEvery < 1 || MaxResumeAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxUnacknowledgedStanzas), "Stream-management limits must be positive.");
        }

        if (AckRequestDelay <= TimeSpan.Zero || FirstReconnectDelay < TimeSpan.Zero || MaxReconnectDelay < FirstReconnectDelay || ResumeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AckRequestDelay), "Stream-management delays must be positive and ordered.");
        }
    }
}
