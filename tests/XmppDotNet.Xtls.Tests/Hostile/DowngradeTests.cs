using System.Threading.Channels;
using System.Xml.Linq;
using Org.BouncyCastle.Tls;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tests.Tls;
using XmppDotNet.Xtls.Tunnels;
using XtlsVersion = XmppDotNet.Xtls.Tls.TlsProtocolVersion;

namespace XmppDotNet.Xtls.Tests.Hostile;

/// <summary>
/// A peer whose ClientHello tries to downgrade a tunnel (TLS 1.2 only, or the 2008 text's 3DES suite)
/// to an honest responder that did not opt in: the responder sends a fatal alert, refuses the data IQ
/// that carried the ClientHello with <c>not-acceptable</c>, sends <c>close</c>, reports a TLS failure
/// naming the alert, and no tunnel opens.
/// </summary>
public class DowngradeTests
{
    private static readonly ProtocolVersion[] Tls12Only = ProtocolVersion.TLSv12.Only();
    private static readonly int[] EcdheGcm = [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    private static readonly int[] TripleDesOnly = [CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA];

    public static IEnumerable<TestCaseData> Attempts()
    {
        yield return new TestCaseData(Tls12Only, EcdheGcm, false, "protocol_version").SetArgDisplayNames("TLS 1.2 only, default responder");
        yield return new TestCaseData(Tls12Only, TripleDesOnly, false, "protocol_version").SetArgDisplayNames("3DES, default responder");
        yield return new TestCaseData(Tls12Only, TripleDesOnly, true, "handshake_failure").SetArgDisplayNames("3DES, responder allowing TLS 1.2 without the legacy opt-in");
    }

    [TestCaseSource(nameof(Attempts))]
    public async Task A_downgrading_client_hello_is_refused_with_an_alert_and_no_tunnel_opens(ProtocolVersion[] versions, int[] suites, bool responderAllowsTls12, string alert)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(
            julietOptions: o =>
            {
                // An RSA key, so that only the missing opt-in can stand between the 3DES suite and the tunnel.
                o.Identity = XtlsIdentity.Generate(XtlsKeyType.Rsa);
                o.MinimumTlsVersion = responderAllowsTls12 ? XtlsVersion.Tls12 : XtlsVersion.Tls13;
            },
            configureRouter: r => r.AddAccount("mallory", "m-pass"));
        await using HostilePeer mallory = await HostilePeer.ConnectAsync(pair.Router, "mallory", "m-pass", "lair");
        var wire = new Wire(pair.Router);
        Channel<XElement> julietMessages = Watch.Messages(pair.Juliet);
        Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

        BcEndpoint client = await mallory.OpenWithRawClientAsync(
            pair.Juliet.Jid, () => RawBcPeers.Client(versions, suites, TestIdentities.Client(), extendedMasterSecret: false));
        XtlsTunnelClosedEventArgs atJuliet = await julietClosed;
        TunnelEnded atMallory = await mallory.Ended.Task;
        await wire.CloseAsync(pair.Juliet.Jid);

        Assert.Multiple(() =>
        {
            Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(atJuliet.Detail, Does.Contain(alert));
            Assert.That(atJuliet.WasOpen, Is.False);
            Assert.That(client.Error, Is.InstanceOf<TlsFatalAlertReceived>());
            Assert.That(AlertDescription.GetName(((TlsFatalAlertReceived)client.Error!).AlertDescription), Is.EqualTo(alert));
            Assert.That(atMallory.Reason, Is.EqualTo(TunnelCloseReason.PeerError), "the data IQ carrying the ClientHello is refused");
            Assert.That(atMallory.Detail, Does.Contain("not-acceptable"));
            Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
            Assert.That(julietMessages.Reader.TryRead(out _), Is.False);
        });
    }
}
