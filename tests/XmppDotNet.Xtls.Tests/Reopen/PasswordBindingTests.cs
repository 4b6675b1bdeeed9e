using XmppDotNet.Xtls.Reopen;
using XmppDotNet.Xtls.Tests.Pipeline;
using XmppDotNet.Xtls.Tls;

namespace XmppDotNet.Xtls.Tests.Reopen;

/// <summary>
/// The SRP password binding of a re-open secret: a binding this process made or verified with the same password is
/// recognised without PBKDF2, and a new secret for an unchanged password reuses it; anything else still runs PBKDF2,
/// and a changed password never matches.
/// </summary>
public class PasswordBindingTests
{
    private const string Juliet = "juliet@capulet.lit";
    private const string Nurse = "nurse@capulet.lit";

    [Test]
    public void A_binding_made_here_is_checked_without_running_pbkdf2_again()
    {
        byte[] binding = ReopenDerivation.BindPassword(Fresh("wherefore art thou"), Juliet);
        long runs = ReopenDerivation.Pbkdf2Runs;

        Assert.That(ReopenDerivation.MatchesPassword(binding, Last, Juliet), Is.True);
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs));
    }

    [Test]
    public void A_changed_password_runs_pbkdf2_and_does_not_match()
    {
        byte[] binding = ReopenDerivation.BindPassword(Fresh("wherefore art thou"), Juliet);
        long runs = ReopenDerivation.Pbkdf2Runs;

        Assert.That(ReopenDerivation.MatchesPassword(binding, "a rose by any other name".AsSpan(), Juliet), Is.False);
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs + 1));
        Assert.That(ReopenDerivation.MatchesPassword(binding, "a rose by any other name".AsSpan(), Juliet), Is.False, "a failed check is not remembered");
    }

    [Test]
    public void A_tampered_binding_runs_pbkdf2_and_does_not_match_even_with_the_right_password()
    {
        byte[] binding = ReopenDerivation.BindPassword(Fresh("wherefore art thou"), Juliet);
        binding[^1] ^= 0x01;
        long runs = ReopenDerivation.Pbkdf2Runs;

        Assert.That(ReopenDerivation.MatchesPassword(binding, Last, Juliet), Is.False);
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs + 1));
    }

    [Test]
    public void A_new_secret_for_an_unchanged_password_takes_the_binding_again_without_pbkdf2()
    {
        byte[] first = ReopenDerivation.BindPassword(Fresh("wherefore art thou"), Juliet);
        long runs = ReopenDerivation.Pbkdf2Runs;

        byte[] second = ReopenDerivation.BindPassword(Last, Juliet);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs));
    }

    [Test]
    public void Peers_sharing_a_password_do_not_share_a_binding()
    {
        byte[] forJuliet = ReopenDerivation.BindPassword(Fresh("wherefore art thou"), Juliet);
        byte[] forNurse = ReopenDerivation.BindPassword(Last, Nurse);

        Assert.That(forNurse, Is.Not.EqualTo(forJuliet));
        Assert.That(ReopenDerivation.MatchesPassword(forNurse, Last, Nurse), Is.True);
    }

    [Test]
    public void A_binding_forgotten_for_lack_of_room_is_verified_again_with_pbkdf2_and_then_remembered()
    {
        byte[] binding = ReopenDerivation.BindPassword(Fresh("wherefore art thou"), Juliet);
        for (int i = 0; i < VerifiedPasswordBindings.Capacity; i++)
        {
            VerifiedPasswordBindings.Remember(BitConverter.GetBytes(i), "filler".AsSpan(), Nurse);
        }

        long runs = ReopenDerivation.Pbkdf2Runs;
        Assert.That(ReopenDerivation.MatchesPassword(binding, Last, Juliet), Is.True);
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs + 1), "evicted: PBKDF2 again");
        Assert.That(ReopenDerivation.MatchesPassword(binding, Last, Juliet), Is.True);
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs + 1), "remembered after the successful check");
    }

    [Test]
    public async Task An_srp_tunnel_is_reopened_without_running_pbkdf2()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(o => ReopenTunnelTests.Configure(o, XtlsMethod.Srp), o => ReopenTunnelTests.Configure(o, XtlsMethod.Srp));
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);
        await pair.RomeoXtls.CloseAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);

        // Each end keeps its secret once it has bound the password (the responder's may come a little later).
        using (var timeout = new CancellationTokenSource(XtlsPair.Bound))
        {
            while (pair.RomeoXtls.ReopenStore.Count == 0 || pair.JulietXtls.ReopenStore.Count == 0)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        long runs = ReopenDerivation.Pbkdf2Runs;

        XtlsTunnel second = await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid, XtlsMethod.Srp).WaitAsync(XtlsPair.Bound);

        Assert.That(second.Reopened, Is.True);
        Assert.That(ReopenDerivation.Pbkdf2Runs, Is.EqualTo(runs), "both ends check the binding they made, and bind the next secret with it");
    }

    // A password no other test used, so that nothing remembered from before changes the count.
    private static string _last = string.Empty;

    private static ReadOnlySpan<char> Last => _last;

    private static ReadOnlySpan<char> Fresh(string prefix)
    {
        _last = prefix + " " + Guid.NewGuid().ToString("N");
        return _last;
    }
}
