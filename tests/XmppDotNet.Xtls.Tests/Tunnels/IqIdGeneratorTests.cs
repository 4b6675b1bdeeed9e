using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

public class IqIdGeneratorTests
{
    [Test]
    public void Ids_count_in_base_36_after_the_prefix()
    {
        var ids = new IqIdGenerator("p.");
        List<string> first = [.. Enumerable.Range(0, 37).Select(_ => ids.Next())];
        Assert.That(first[0], Is.EqualTo("p.1"));
        Assert.That(first[8], Is.EqualTo("p.9"));
        Assert.That(first[9], Is.EqualTo("p.a"));
        Assert.That(first[34], Is.EqualTo("p.z"));
        Assert.That(first[35], Is.EqualTo("p.10"));
    }

    [Test]
    public void Issued_recognises_exactly_the_ids_handed_out()
    {
        var ids = new IqIdGenerator("p-");
        for (int i = 0; i < 100; i++)
        {
            ids.Next();
        }

        Assert.Multiple(() =>
        {
            Assert.That(ids.Issued("p-1"), Is.True);
            Assert.That(ids.Issued("p-2s"), Is.True, "100 in base 36");
            Assert.That(ids.Issued("p-2t"), Is.False, "101 was not issued yet");
            Assert.That(ids.Issued("p-0"), Is.False);
            Assert.That(ids.Issued("p-01"), Is.False);
            Assert.That(ids.Issued("p-"), Is.False);
            Assert.That(ids.Issued("p-A"), Is.False);
            Assert.That(ids.Issued("q-1"), Is.False);
            Assert.That(ids.Issued("p-zzzzzzzzzzzzz"), Is.False, "too long to be a counter");
            Assert.That(ids.Issued("p-zzzzzzzzzzzz"), Is.False);
        });
    }
}
