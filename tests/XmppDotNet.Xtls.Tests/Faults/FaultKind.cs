namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>What a lossy network does to one tunnel IQ (a request or its answer).</summary>
internal enum FaultKind
{
    /// <summary>Delivered unchanged.</summary>
    None,

    /// <summary>Never delivered.</summary>
    Drop,

    /// <summary>Delivered twice, one copy right after the other.</summary>
    Duplicate,

    /// <summary>Held back and delivered just before the next IQ to the same recipient: late, but in order.</summary>
    Delay,

    /// <summary>Held back and delivered just after the next IQ to the same recipient: the two swap places.</summary>
    Reorder,

    /// <summary>Lost with the connection of its sender, which the server cuts as it arrives (a stream error, then the socket).</summary>
    CutSender,

    /// <summary>Lost with the connection of its recipient, which the server cuts before delivering it.</summary>
    CutReceiver,
}
