using Org.BouncyCastle.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>A plain BouncyCastle peer (for peers the engine's options cannot express, such as legacy clients).</summary>
internal sealed class BcEndpoint(string name, TlsProtocol protocol) : ICiphertextEndpoint
{
    public string Name { get; } = name;

    public TlsProtocol Protocol { get; } = protocol;

    public Exception? Error { get; private set; }

    public byte[] TakeCiphertext()
    {
        byte[] bytes = new byte[Protocol.GetAvailableOutputBytes()];
        Protocol.ReadOutput(bytes, 0, bytes.Length);
        return bytes;
    }

    public void Receive(ReadOnlySpan<byte> data)
    {
        if (Error is not null || Protocol.IsClosed)
        {
            return;
        }

        try
        {
            Protocol.OfferInput(data.ToArray());
        }
        catch (IOException e)
        {
            Error = e;
        }
    }
}
