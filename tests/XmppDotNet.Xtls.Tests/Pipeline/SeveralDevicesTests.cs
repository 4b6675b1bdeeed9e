using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>
/// A contact with two devices (two resources, each with its own certificate): both get a tunnel, the second
/// one reported as a new device; the same resource back with another certificate is refused as a change.
/// </summary>
public class SeveralDevicesTests
{
    [TestCase(false, TestName = "Two devices of a contact both get a tunnel, the second reported as new (store answers at once)")]
    [TestCase(true, TestName = "Two devices of a contact both get a tunnel, the second reported as new (store answers later)")]
    public async Task Two_devices_of_a_contact_both_get_a_tunnel_and_the_second_is_reported_as_new(bool answerLater)
    {
        var store = new RecordingTrustStore(new InMemoryTrustStore(), answerLater);
        await using var devices = await Devices.StartAsync(store);
        var opened = new ConcurrentQueue<XtlsTunnel>();
        devices.RomeoXtls.TunnelOpened += (_, e) => opened.Enqueue(e.Tunnel);

        XtlsTunnel balcony = await devices.RomeoXtls.OpenAsync(devices.Balcony.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel tomb = await devices.RomeoXtls.OpenAsync(devices.Tomb.Jid).WaitAsync(XtlsPair.Bound);
        await devices.Romeo.SendAsync(XtlsPair.Chat(devices.Tomb.Jid, "wherefore art thou")).WaitAsync(XtlsPair.Bound);
        XElement received = await devices.NextMessageAtTombAsync();

        Assert.Multiple(() =>
        {
            Assert.That(balcony.Trust!.Reason, Is.EqualTo(TrustReason.FirstUse));
            Assert.That(tomb.Trust, Is.EqualTo(new TrustResult(TrustDecision.Trusted, TrustReason.NewDevice, devices.Tomb.GetXtls().Identity.Fingerprint, null)));
            Assert.That(tomb.PeerFingerprint, Is.EqualTo(devices.Tomb.GetXtls().Identity.Fingerprint));
            Assert.That(opened.Select(t => (t.Peer, t.Trust!.Reason)), Is.EquivalentTo(new[]
            {
                (devices.Balcony.Jid, TrustReason.FirstUse),
                (devices.Tomb.Jid, TrustReason.NewDevice),
            }), "TunnelOpened handlers see the notice");
            Assert.That(devices.RomeoXtls.OpenTunnels, Has.Count.EqualTo(2));
            Assert.That(received.IsFromXtlsTunnel(), Is.True);
            Assert.That(devices.Tomb.GetXtls().GetTunnel(devices.Romeo.Jid)?.Trust?.Reason, Is.EqualTo(TrustReason.FirstUse), "the responder's tunnel carries its own verdict");
            Assert.That(store.Verified.Select(v => v.Peer), Is.EqualTo(new[] { devices.Balcony.Jid, devices.Tomb.Jid }), "the store sees full JIDs, once per handshake");
        });
    }

    [Test]
    public async Task The_same_resource_back_with_another_certificate_is_refused_as_changed()
    {
        var store = new RecordingTrustStore(new InMemoryTrustStore());
        await using var devices = await Devices.StartAsync(store);
        await devices.RomeoXtls.OpenAsync(devices.Balcony.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel tomb = await devices.RomeoXtls.OpenAsync(devices.Tomb.Jid).WaitAsync(XtlsPair.Bound);
        await devices.RomeoXtls.CloseAsync(devices.Tomb.Jid).WaitAsync(XtlsPair.Bound);

        XmppClient reinstalled = await devices.ReplaceTombAsync();
        XtlsTunnelException? error = await Assert.ThrowsAsync<XtlsTunnelException>(
            async () => await devices.RomeoXtls.OpenAsync(reinstalled.Jid).WaitAsync(XtlsPair.Bound));

        (Jid peer, TrustResult last) = store.Verified.Last();
        Assert.Multiple(() =>
        {
            Assert.That(reinstalled.GetXtls().Identity.Fingerprint, Is.Not.EqualTo(tomb.PeerFingerprint));
            Assert.That(error!.Reason, Is.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(peer, Is.EqualTo(reinstalled.Jid));
            Assert.That(last, Is.EqualTo(new TrustResult(TrustDecision.Rejected, TrustReason.Changed, reinstalled.GetXtls().Identity.Fingerprint, tomb.PeerFingerprint)));
            Assert.That(devices.RomeoXtls.GetTunnel(devices.Balcony.Jid), Is.Not.Null, "the other device's tunnel is untouched");
            Assert.That(devices.RomeoXtls.GetTunnel(reinstalled.Jid), Is.Null);
        });
    }

    /// <summary>Romeo and two devices of Juliet (balcony, tomb), each client with its own generated identity.</summary>
    private sealed class Devices : IAsyncDisposable
    {
        private readonly InMemoryRouter _router;
        private readonly List<XmppClient> _clients = [];
        private readonly ConcurrentQueue<XElement> _tombInbox = new();
        private readonly SemaphoreSlim _tombReceived = new(0);

        private Devices(InMemoryRouter router) => _router = router;

        public XmppClient Romeo => _clients[0];

        public XtlsService RomeoXtls => Romeo.GetXtls();

        public XmppClient Balcony => _clients[1];

        public XmppClient Tomb { get; private set; } = null!;

        public static async Task<Devices> StartAsync(ITrustStore romeoTrust)
        {
            var router = new InMemoryRouter("capulet.lit");
            router.AddAccount("romeo", "r-pass");
            router.AddAccount("juliet", "j-pass");
            await router.StartAsync();
            var devices = new Devices(router);
            await devices.ConnectAsync(XtlsPair.Build(router, "romeo", "r-pass", "orchard", o => o.TrustStore = romeoTrust));
            await devices.ConnectAsync(XtlsPair.Build(router, "juliet", "j-pass", "balcony", null));
            devices.Tomb = await devices.ConnectTombAsync();
            return devices;
        }

        /// <summary>The tomb device logs out, and logs in again on the same resource with a new identity (a reinstall).</summary>
        public async Task<XmppClient> ReplaceTombAsync()
        {
            _clients.Remove(Tomb);
            await Tomb.DisposeAsync().AsTask().WaitAsync(XtlsPair.Bound);
            Tomb = await ConnectTombAsync();
            return Tomb;
        }

        public async Task<XElement> NextMessageAtTombAsync()
        {
            while (true)
            {
                Assert.That(await _tombReceived.WaitAsync(XtlsPair.Bound), Is.True, "no stanza reached the tomb");
                if (_tombInbox.TryDequeue(out XElement? stanza) && stanza.Name.LocalName == "message")
                {
                    return stanza;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (XmppClient client in _clients)
            {
                await client.DisposeAsync().AsTask().WaitAsync(XtlsPair.Bound);
            }

            await _router.DisposeAsync().AsTask().WaitAsync(XtlsPair.Bound);
            _tombReceived.Dispose();
        }

        private async Task<XmppClient> ConnectTombAsync()
        {
            XmppClient tomb = XtlsPair.Build(_router, "juliet", "j-pass", "tomb", null);
            tomb.StanzaReceived += (_, e) =>
            {
                _tombInbox.Enqueue(e.Stanza);
                _tombReceived.Release();
            };
            await ConnectAsync(tomb);
            return tomb;
        }

        private async Task ConnectAsync(XmppClient client)
        {
            _clients.Add(client);
            await client.ConnectAsync().WaitAsync(XtlsPair.Bound);
        }
    }
}
