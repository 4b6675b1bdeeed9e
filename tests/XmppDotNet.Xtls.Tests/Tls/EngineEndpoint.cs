using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

internal sealed class EngineEndpoint(string name, TlsEngine engine) : ICiphertextEndpoint
{
    public string Name { get; } = name;

    public TlsEngine Engine { get; } = engine;

    public Exception? Error { get; private set; }

    public TlsEngineException? EngineError => Error as TlsEngineException;

    public byte[] TakeCiphertext()
    {
        byte[] bytes = new byte[Engine.AvailableCiphertext];
        int read = Engine.ReadCiphertext(bytes);
        Assert.That(read, Is.EqualTo(bytes.Length), $"{Name}: ReadCiphertext returned less than AvailableCiphertext");
        return bytes;
    }

    public void Receive(ReadOnlySpan<byte> data)
    {
        if (Error is not null)
        {
            return;
        }

        try
        {
            Engine.ReceiveCiphertext(data);
        }
        catch (TlsEngineException e)
        {
            Error = e;
        }
    }
}
