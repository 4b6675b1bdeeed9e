namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>How a test server goes away.</summary>
public enum ShutdownMode
{
    /// <summary>
    /// SIGTERM: Prosody ends every stream with a <c>system-shutdown</c> stream error and exits;
    /// killed if it takes longer than a few seconds.
    /// </summary>
    Graceful,

    /// <summary>SIGKILL: connections drop without a word, as when a server crashes.</summary>
    Kill,
}
