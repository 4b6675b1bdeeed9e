using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Tests.Hostile;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Trust;

/// <summary>
/// A file trust store answers on the calling thread, so the plugin decides inside the TLS handshake: a
/// peer whose certificate the file refuses learns it from a bad_certificate alert, not from a tunnel that
/// opens and then closes.
/// </summary>
public class FileTrustStoreHandshakeTests
{
    [Test]
    public async Task A_peer_refused_by_the_file_gets_bad_certificate_inside_the_handshake()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("xtls-trust-");
        try
        {
            var julietKnows = new FileTrustStore(Path.Combine(directory.FullName, "known-peers.txt"));
            await julietKnows.PinAsync(Jid.Parse("romeo@capulet.lit"), XtlsIdentity.Generate().Fingerprint);
            await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => o.TrustStore = julietKnows);
            Task<XtlsTunnelClosedEventArgs> julietClosed = Watch.NextClosed(pair.JulietXtls);

            XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(
                async () => await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound));
            XtlsTunnelClosedEventArgs atJuliet = await julietClosed;

            Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(error.Detail, Does.Contain("bad_certificate"));
            Assert.That(atJuliet.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(pair.JulietXtls.OpenTunnels, Is.Empty);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
