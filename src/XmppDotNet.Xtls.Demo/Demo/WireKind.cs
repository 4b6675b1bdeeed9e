namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>What an XTLS stanza seen by the server is.</summary>
internal enum WireKind
{
    /// <summary>IQ-set <c>start</c>: a tunnel is requested.</summary>
    Start,

    /// <summary>IQ-result <c>proceed</c>: the request is accepted.</summary>
    Proceed,

    /// <summary>IQ-set <c>data</c>: a chunk of TLS records in Base64.</summary>
    Data,

    /// <summary>An empty IQ-result acknowledging a <c>data</c>.</summary>
    Ack,

    /// <summary>IQ-set <c>close</c>.</summary>
    Close,

    /// <summary>IQ-result <c>closed</c>.</summary>
    Closed,

    /// <summary>An IQ-error on an XTLS request.</summary>
    Error,
}
