namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>How fast a test ejabberd lets each client connection send to it.</summary>
public enum EjabberdShaper
{
    /// <summary>No shaping: the tests measure the code, not a throttle.</summary>
    None,

    /// <summary>
    /// The stock configuration's <c>normal</c> shaper for every client (3000 B/s, bursts of 20000 bytes),
    /// as a default ejabberd deployment runs.
    /// </summary>
    Stock,
}
