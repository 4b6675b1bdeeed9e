using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Reopen;

/// <summary>
/// A re-open secret stands only on what the first tunnel's trust was based on: it expires, and a forgotten or
/// changed certificate or a changed SRP password ends it. Each case then gets a full handshake that decides anew.
/// </summary>
public class ReopenInvalidationTests
{
    [Test]
    public async Task A_device_forgotten_in_the_trust_store_is_not_reopened_and_is_asked_about_again()
    {
        var trust = new InMemoryTrustStore();
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.TrustStore = trust);
        XtlsTunnel first = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.That(await trust.ForgetDeviceAsync(pair.Juliet.Jid, first.PeerFingerprint!.Value), Is.True);
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(again.Trust!.Reason, Is.EqualTo(TrustReason.FirstUse), "the full handshake decided again, as after any forget");
            Assert.That(ClientHello.Starts(pair.Routed)[1].Element(XtlsElements.ReopenName), Is.Null, "nothing was offered");
        });
    }

    [Test]
    public async Task A_responder_whose_trust_store_forgot_the_initiator_refuses_the_reopen_and_does_a_full_handshake()
    {
        var julietStore = new InMemoryReopenSecretStore();
        XtlsIdentity julietIdentity = XtlsIdentity.Generate();
        await using XtlsPair pair = await XtlsPair.StartAsync(julietOptions: o => ReopenTunnelTests.Configure(o, XtlsMethod.X509, julietIdentity, julietStore));
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.Juliet.DisposeAsync();

        // The same device and re-open store, but a new (empty) trust store: it no longer knows Romeo.
        await using XmppClient juliet2 = XtlsPair.Build(pair.Router, "juliet", "j-pass", "balcony", o => ReopenTunnelTests.Configure(o, XtlsMethod.X509, julietIdentity, julietStore, new InMemoryTrustStore()));
        await juliet2.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await ReopenTunnelTests.WaitUntilGoneAsync(pair.RomeoXtls, juliet2.Jid);
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(juliet2.Jid).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(XtlsElements.ReadReopen(ClientHello.Starts(pair.Routed)[^1]), Is.Not.Null);
            Assert.That(XtlsElements.ReadReopen(ClientHello.Proceeds(pair.Routed)[^1]), Is.Null);
            Assert.That(juliet2.GetXtls().GetTunnel(pair.Romeo.Jid)!.Trust!.Reason, Is.EqualTo(TrustReason.FirstUse));
        });
    }

    [Test]
    public async Task A_full_handshake_that_sees_another_certificate_drops_the_secret_of_that_device()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        Assert.That(pair.RomeoXtls.ReopenStore.Count, Is.EqualTo(1));
        await pair.Juliet.DisposeAsync();

        // The same resource back with a new key and nothing remembered: it initiates, Romeo sees a changed certificate.
        await using XmppClient reinstalled = XtlsPair.Build(pair.Router, "juliet", "j-pass", "balcony", null);
        await reinstalled.ConnectAsync().WaitAsync(XtlsPair.Bound);
        await ReopenTunnelTests.WaitUntilGoneAsync(pair.RomeoXtls, reinstalled.Jid);
        XtlsTunnelException? refused = await Assert.ThrowsAsync<XtlsTunnelException>(async () => await reinstalled.GetXtls().OpenAsync(pair.Romeo.Jid).WaitAsync(XtlsPair.Bound));

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Reason, Is.EqualTo(TunnelCloseReason.PeerError).Or.EqualTo(TunnelCloseReason.TlsFailure));
            Assert.That(pair.RomeoXtls.ReopenStore.Count, Is.Zero, "a secret based on the old certificate must not outlive it");
        });
    }

    [Test]
    public async Task A_changed_srp_password_ends_the_secret_and_the_new_password_gets_a_full_handshake()
    {
        string password = "first password";
        char[]? Current(Host.Jid _) => password.ToCharArray();
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.SrpPassword = Current, o => o.SrpPassword = Current);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        password = "second password";
        XtlsTunnel again = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(again.Reopened, Is.False);
            Assert.That(again.ProtocolVersion, Is.EqualTo("TLSv1.2"), "a full SRP handshake");
            Assert.That(ClientHello.Starts(pair.Routed)[1].Element(XtlsElements.ReopenName), Is.Null, "the initiator noticed the change itself");
        });
    }

    [Test]
    public async Task A_responder_whose_srp_password_changed_refuses_the_reopen()
    {
        string julietPassword = "shared";
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.SrpPassword = _ => "shared".ToCharArray(), o => o.SrpPassword = _ => julietPassword.ToCharArray());
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        julietPassword = "changed";
        await Assert.ThrowsAsync<XtlsTunnelException>(async () => await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound), "the passwords differ now: no tunnel, with or without a secret");

        Assert.Multiple(() =>
        {
            Assert.That(XtlsElements.ReadReopen(ClientHello.Starts(pair.Routed)[1]), Is.Not.Null, "Romeo's password did not change: it offered");
            Assert.That(ClientHello.Proceeds(pair.Routed).Skip(1).Select(XtlsElements.ReadReopen), Is.All.Null, "Juliet's did: she refused the secret");
            Assert.That(pair.RomeoXtls.OpenTunnels, Is.Empty);
        });
    }

    [Test]
    public async Task An_expired_secret_is_not_offered()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using XtlsPair pair = await XtlsPair.StartAsync(o => o.ReopenLifetime = TimeSpan.FromHours(1), romeoClock: clock);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        clock.Advance(TimeSpan.FromMinutes(59));
        XtlsTunnel within = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        clock.Advance(TimeSpan.FromHours(1));
        XtlsTunnel after = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        Assert.Multiple(() =>
        {
            Assert.That(within.Reopened, Is.True, "59 minutes: still valid");
            Assert.That(after.Reopened, Is.False, "an hour after the last tunnel opened: expired");
            Assert.That(ClientHello.Starts(pair.Routed)[2].Element(XtlsElements.ReopenName), Is.Null);
        });
    }

    [Test]
    public async Task A_secret_is_used_once()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync();
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        XtlsTunnel third = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        List<byte[]?> offered = [.. ClientHello.Starts(pair.Routed).Select(XtlsElements.ReadReopen)];
        Assert.Multiple(() =>
        {
            Assert.That(third.Reopened, Is.True);
            Assert.That(offered, Has.Count.EqualTo(3));
            Assert.That(offered[1], Is.Not.Null);
            Assert.That(offered[2], Is.Not.EqualTo(offered[1]), "every tunnel leaves a new identity: a server cannot link re-opens by it");
        });
    }
}
