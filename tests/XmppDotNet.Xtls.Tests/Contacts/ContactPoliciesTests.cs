using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Tests.Contacts;

public class ContactPoliciesTests
{
    private static readonly Jid Juliet = Jid.Parse("juliet@capulet.lit");

    [Test]
    public void A_contact_without_a_policy_gets_the_default()
    {
        var policies = new ContactPolicies(ContactPolicy.Opportunistic, 10);

        Assert.That(policies.Get(Juliet), Is.EqualTo(ContactPolicy.Opportunistic));
    }

    [Test]
    public void A_policy_is_per_bare_jid_whatever_resource_sets_or_reads_it()
    {
        var policies = new ContactPolicies(ContactPolicy.Opportunistic, 10);

        policies.Set(Jid.Parse("juliet@capulet.lit/balcony"), ContactPolicy.Required);

        Assert.That(policies.Get(Jid.Parse("juliet@capulet.lit/tomb")), Is.EqualTo(ContactPolicy.Required));
        Assert.That(policies.Get(Juliet), Is.EqualTo(ContactPolicy.Required));
        Assert.That(policies.Count, Is.EqualTo(1));
    }

    [Test]
    public void Removing_a_policy_restores_the_default()
    {
        var policies = new ContactPolicies(ContactPolicy.Off, 10);
        policies.Set(Juliet, ContactPolicy.Required);

        Assert.That(policies.Remove(Juliet), Is.True);
        Assert.That(policies.Get(Juliet), Is.EqualTo(ContactPolicy.Off));
        Assert.That(policies.Remove(Juliet), Is.False);
    }

    [Test]
    public void Beyond_the_bound_a_new_contact_is_refused_with_a_typed_exception_and_existing_ones_can_still_change()
    {
        var policies = new ContactPolicies(ContactPolicy.Opportunistic, 2);
        policies.Set(Jid.Parse("a@capulet.lit"), ContactPolicy.Required);
        policies.Set(Jid.Parse("b@capulet.lit"), ContactPolicy.Required);

        ContactPolicyLimitException? error = Assert.Throws<ContactPolicyLimitException>(() => policies.Set(Jid.Parse("c@capulet.lit"), ContactPolicy.Required));
        policies.Set(Jid.Parse("a@capulet.lit/phone"), ContactPolicy.Off);

        Assert.That(error!.Limit, Is.EqualTo(2));
        Assert.That(error.Contact, Is.EqualTo(Jid.Parse("c@capulet.lit")));
        Assert.That(policies.Get(Jid.Parse("c@capulet.lit")), Is.EqualTo(ContactPolicy.Opportunistic));
        Assert.That(policies.Get(Jid.Parse("a@capulet.lit")), Is.EqualTo(ContactPolicy.Off));
    }

    [Test]
    public void An_undefined_policy_value_is_refused()
    {
        var policies = new ContactPolicies(ContactPolicy.Opportunistic, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => policies.Set(Juliet, (ContactPolicy)42));
    }

    [Test]
    public void Only_other_accounts_are_contacts()
    {
        Jid self = Jid.Parse("romeo@montague.lit/orchard");

        Assert.That(ContactScope.IsContact(self, Jid.Parse("juliet@capulet.lit/balcony")), Is.True);
        Assert.That(ContactScope.IsContact(self, Juliet), Is.True);
        Assert.That(ContactScope.IsContact(self, Jid.Parse("romeo@montague.lit/phone")), Is.False, "our own other resource");
        Assert.That(ContactScope.IsContact(self, Jid.Parse("romeo@montague.lit")), Is.False, "our own account");
        Assert.That(ContactScope.IsContact(self, Jid.Parse("montague.lit")), Is.False, "the server");
        Assert.That(ContactScope.IsContact(self, Jid.Parse("pubsub.montague.lit/x")), Is.False, "a component");
    }
}
