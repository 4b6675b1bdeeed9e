using XmppDotNet.Xtls.Host.Session;

namespace XmppDotNet.Xtls.Host.Tests.Pipeline;

public class IdGeneratorTests
{
    [Test]
    public void Ids_are_unique_and_compact()
    {
        var ids = new IdGenerator("ab");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 100_000; i++)
        {
            Assert.That(seen.Add(ids.Next()), Is.True);
        }

        Assert.That(seen.Max(s => s.Length), Is.LessThanOrEqualTo(2 + 4));
    }

    [Test]
    public void Two_generators_use_different_random_prefixes()
    {
        var prefixes = Enumerable.Range(0, 20).Select(_ => new IdGenerator().Next()[..4]).ToHashSet(StringComparer.Ordinal);
        Assert.That(prefixes, Has.Count.GreaterThan(1));
    }
}
