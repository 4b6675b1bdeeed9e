namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>One side of a TLS conversation as the shuttle sees it: ciphertext in and out.</summary>
internal interface ICiphertextEndpoint
{
    string Name { get; }

    Exception? Error { get; }

    byte[] TakeCiphertext();

    /// <summary>Feeds ciphertext; records (does not throw) the first failure.</summary>
    void Receive(ReadOnlySpan<byte> data);
}
