using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tests.Contacts;

public class FanOutPlannerTests
{
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit");
    private static readonly Jid Balcony = Jid.Parse("juliet@capulet.lit/balcony");
    private static readonly Jid Tomb = Jid.Parse("juliet@capulet.lit/tomb");
    private static readonly Jid Garden = Jid.Parse("juliet@capulet.lit/garden");

    [Test]
    public void Every_resource_that_supports_xtls_gets_a_copy_through_its_tunnel()
    {
        FanOutPlan plan = FanOutPlanner.Plan(Juliet, ContactPolicy.Required, [Supported(Balcony), Supported(Tomb, tunnel: true)], 16);

        Assert.That(plan.ThroughTunnel, Is.EquivalentTo(new[] { Balcony, Tomb }));
        Assert.That(plan.InClear, Is.Empty);
        Assert.That(plan.Failures, Is.Empty);
        Assert.That(plan.ToBareInClear, Is.False);
    }

    [Test]
    public void Opportunistic_sends_in_the_clear_only_to_a_resource_known_not_to_support_xtls()
    {
        FanOutPlan plan = FanOutPlanner.Plan(Juliet, ContactPolicy.Opportunistic, [Supported(Balcony), NotSupported(Tomb), Unknown(Garden)], 16);

        Assert.That(plan.ThroughTunnel, Is.EqualTo(new[] { Balcony }));
        Assert.That(plan.InClear, Is.EqualTo(new[] { Tomb }));
        Assert.That(plan.Failures.Select(f => (f.Resource, f.Reason)), Is.EqualTo(new[] { (Garden, ContactSendFailureReason.SupportUnknown) }));
        Assert.That(plan.Failures[0].Detail, Is.EqualTo("no answer"));
    }

    [Test]
    public void Required_never_plans_a_copy_in_the_clear()
    {
        FanOutPlan plan = FanOutPlanner.Plan(Juliet, ContactPolicy.Required, [NotSupported(Tomb), Unknown(Garden)], 16);

        Assert.That(plan.SendsAnything, Is.False);
        Assert.That(plan.Failures.Select(f => (f.Resource, f.Reason)), Is.EquivalentTo(new[]
        {
            (Tomb, ContactSendFailureReason.NotSupported),
            (Garden, ContactSendFailureReason.SupportUnknown),
        }));
    }

    [Test]
    public void With_no_resource_online_opportunistic_goes_to_the_bare_jid_and_required_fails()
    {
        FanOutPlan opportunistic = FanOutPlanner.Plan(Juliet, ContactPolicy.Opportunistic, [], 16);
        FanOutPlan required = FanOutPlanner.Plan(Juliet, ContactPolicy.Required, [], 16);

        Assert.That(opportunistic.ToBareInClear, Is.True);
        Assert.That(required.SendsAnything, Is.False);
        Assert.That(required.Failures.Single().Reason, Is.EqualTo(ContactSendFailureReason.NoResourceOnline));
        Assert.That(required.Failures.Single().Resource, Is.EqualTo(Juliet));
    }

    [Test]
    public void Off_passes_the_stanza_unchanged()
    {
        FanOutPlan plan = FanOutPlanner.Plan(Juliet, ContactPolicy.Off, [Supported(Balcony)], 16);

        Assert.That(plan.ToBareInClear, Is.True);
        Assert.That(plan.ThroughTunnel, Is.Empty);
    }

    [Test]
    public void Beyond_the_per_contact_tunnel_limit_the_rest_is_reported_and_resources_with_tunnels_keep_them()
    {
        ContactResource[] resources = [.. Enumerable.Range(0, 100).Select(i => Supported(Juliet.WithResource("r" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)), tunnel: i == 99))];

        FanOutPlan plan = FanOutPlanner.Plan(Juliet, ContactPolicy.Opportunistic, resources, 16);

        Assert.That(plan.ThroughTunnel, Has.Count.EqualTo(16));
        Assert.That(plan.ThroughTunnel, Does.Contain(Juliet.WithResource("r099")));
        Assert.That(plan.Failures, Has.Count.EqualTo(84));
        Assert.That(plan.Failures.Select(f => f.Reason), Is.All.EqualTo(ContactSendFailureReason.LimitExceeded));
        Assert.That(plan.InClear, Is.Empty, "a resource that can do XTLS never gets a clear copy, even over the limit");
        Assert.That(plan.ThroughTunnel.Concat(plan.Failures.Select(f => f.Resource)), Is.EquivalentTo(resources.Select(r => r.Jid)));
    }

    [Test]
    public void The_outcome_lists_what_was_delivered_and_what_failed()
    {
        var outcome = new ContactSendOutcome(Balcony, [new ContactCopyFailure(Garden, ContactSendFailureReason.SupportUnknown, "no answer")]);
        outcome.Delivered(Balcony, throughTunnel: true);
        outcome.Failed(ContactSendOutcome.TunnelFailure(Tomb, new XtlsTunnelException(Tomb, Xtls.Tunnels.TunnelCloseReason.NotSupported, "service-unavailable")));

        XtlsContactSendException? error = outcome.ToException();

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Contact, Is.EqualTo(Juliet));
        Assert.That(error.Delivered, Is.EqualTo(new[] { new ContactDelivery(Balcony, true) }));
        Assert.That(error.Failures.Select(f => (f.Resource, f.Reason)), Is.EqualTo(new[]
        {
            (Garden, ContactSendFailureReason.SupportUnknown),
            (Tomb, ContactSendFailureReason.TunnelFailed),
        }));
        Assert.That(error.Failures[1].Cause, Is.InstanceOf<XtlsTunnelException>());
        Assert.That(error.Message, Does.Contain("juliet@capulet.lit/tomb: TunnelFailed (NotSupported: service-unavailable)"));
    }

    [Test]
    public void An_outcome_without_failures_is_no_exception()
    {
        var outcome = new ContactSendOutcome(Juliet, []);
        outcome.Delivered(Balcony, throughTunnel: true);

        Assert.That(outcome.ToException(), Is.Null);
        Assert.That(outcome.DeliveredCopies, Has.Count.EqualTo(1));
    }

    private static ContactResource Supported(Jid jid, bool tunnel = false) => new(jid, ResourceSupport.Supported, tunnel);

    private static ContactResource NotSupported(Jid jid) => new(jid, ResourceSupport.NotSupported, false);

    private static ContactResource Unknown(Jid jid) => new(jid, ResourceSupport.Unknown, false, "no answer");
}
