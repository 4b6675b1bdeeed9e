using Org.BouncyCastle.Tls;

namespace XmppDotNet.Xtls.Tls;

/// <summary>A BouncyCastle protocol the engine can fail with an alert of its own choosing.</summary>
internal interface IAbortableProtocol
{
    /// <summary>Queues a fatal alert for the peer and fails the connection, as BouncyCastle does for its own errors.</summary>
    void Abort(TlsFatalAlert alert);
}

/// <summary>The non-blocking BouncyCastle client, with <see cref="IAbortableProtocol"/>.</summary>
internal sealed class AbortableClientProtocol : TlsClientProtocol, IAbortableProtocol
{
    public void Abort(TlsFatalAlert alert) => HandleException(alert.AlertDescription, alert.Message, alert);
}

/// <summary>The non-blocking BouncyCastle server, with <see cref="IAbortableProtocol"/>.</summary>
internal sealed class AbortableServerProtocol : TlsServerProtocol, IAbortableProtocol
{
    public void Abort(TlsFatalAlert alert) => HandleException(alert.AlertDescription, alert.Message, alert);
}
