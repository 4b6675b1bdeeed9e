namespace XmppDotNet.Xtls.IntegrationTests;

[TestFixture]
public sealed class ProsodyRequirementTests
{
    [TestCase(true, null, ProsodyRequirement.Verdict.Run)]
    [TestCase(true, "1", ProsodyRequirement.Verdict.Run)]
    [TestCase(false, null, ProsodyRequirement.Verdict.Ignore)]
    [TestCase(false, "0", ProsodyRequirement.Verdict.Ignore)]
    [TestCase(false, "", ProsodyRequirement.Verdict.Ignore)]
    [TestCase(false, "1", ProsodyRequirement.Verdict.Fail)]
    public void Missing_prosody_is_ignored_unless_required(bool installed, string? requireServer, ProsodyRequirement.Verdict expected) =>
        Assert.That(ProsodyRequirement.Decide(installed, requireServer), Is.EqualTo(expected));
}
