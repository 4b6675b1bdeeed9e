namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>What a resuming connection reports to its session besides the ordinary negotiation events.</summary>
internal interface IResumptionListener
{
    /// <summary>The server resumed the stream; <paramref name="resent"/> stanzas were written again.</summary>
    void OnResumed(int resent);
}
