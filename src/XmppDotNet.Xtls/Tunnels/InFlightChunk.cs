namespace XmppDotNet.Xtls.Tunnels;

/// <summary>One <c>data</c> IQ sent and not yet acknowledged: its place in the outbound byte stream and its payload (kept for resending after <c>wait</c> errors).</summary>
internal sealed class InFlightChunk(long start, byte[] payload, string? method, DateTimeOffset sentAt, long deliveredAtSend)
{
    /// <summary>When it was first sent (a resend keeps it: the round trip then includes the wait).</summary>
    public DateTimeOffset SentAt { get; } = sentAt;

    /// <summary>The bytes of the tunnel acknowledged when it was sent, for the delivery rate.</summary>
    public long DeliveredAtSend { get; } = deliveredAtSend;

    /// <summary>The stream offset of the first byte.</summary>
    public long Start { get; } = start;

    /// <summary>The stream offset just past the last byte.</summary>
    public long End => Start + Payload.Length;

    /// <summary>The ciphertext bytes.</summary>
    public byte[] Payload { get; } = payload;

    /// <summary>The <c>method</c> attribute (the initiator's first chunk only), or <c>null</c>.</summary>
    public string? Method { get; } = method;

    /// <summary>The id of the IQ that carries it now; a resend gets a new id.</summary>
    public string? IqId { get; set; }

    /// <summary>Whether its last IQ got a <c>wait</c> error and it must be sent again.</summary>
    public bool AwaitingResend { get; set; }

    /// <summary>How many <c>wait</c> errors it got.</summary>
    public int WaitErrors { get; set; }
}
