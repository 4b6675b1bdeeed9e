using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>A client engine and a server engine joined by a <see cref="Shuttle"/>.</summary>
internal sealed class TlsPair : IDisposable
{
    public TlsPair(TlsEngineOptions client, TlsEngineOptions server)
    {
        Client = new EngineEndpoint("client", TlsEngine.Create(client));
        Server = new EngineEndpoint("server", TlsEngine.Create(server));
        Shuttle = new Shuttle(Client, Server);
    }

    public EngineEndpoint Client { get; }

    public EngineEndpoint Server { get; }

    public Shuttle Shuttle { get; }

    public static TlsPair X509(XtlsKeyType keyType = XtlsKeyType.EcdsaP256) =>
        new(
            TestOptions.X509(TlsRole.Client, TestIdentities.Client(keyType)),
            TestOptions.X509(TlsRole.Server, TestIdentities.Server(keyType)));

    public static TlsPair For(XtlsMethod method) => method == XtlsMethod.Srp ? Srp() : X509();

    public static TlsPair Srp() => new(TestOptions.Srp(TlsRole.Client), TestOptions.Srp(TlsRole.Server));

    /// <summary>Runs the handshake and asserts that both ends completed without error.</summary>
    public TlsPair Handshake()
    {
        Shuttle.Run();
        Assert.Multiple(() =>
        {
            Assert.That(Client.Error, Is.Null, "client error");
            Assert.That(Server.Error, Is.Null, "server error");
            Assert.That(Client.Engine.IsHandshakeComplete, Is.True, "client complete");
            Assert.That(Server.Engine.IsHandshakeComplete, Is.True, "server complete");
        });
        return this;
    }

    public static byte[] ReadAllPlaintext(TlsEngine engine)
    {
        byte[] bytes = new byte[engine.AvailablePlaintext];
        int read = engine.ReadPlaintext(bytes);
        Assert.That(read, Is.EqualTo(bytes.Length));
        return bytes;
    }

    public void Dispose()
    {
        Client.Engine.Dispose();
        Server.Engine.Dispose();
    }
}
