using XmppDotNet.Xtls.Fuzz;

namespace XmppDotNet.Xtls.Tests.Fuzz;

/// <summary>
/// Replays the seed corpus and every input that once crashed a fuzz target (kept under
/// tests/XmppDotNet.Xtls.Fuzz/regressions/TARGET/) through the same target code AFL++ runs: each must
/// end in an expected typed exception inside the target, never an exception out of it.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly string InputRoot = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fuzz", "Inputs");

    public static IEnumerable<TestCaseData> Inputs()
    {
        foreach (string kind in new[] { "corpus", "regressions" })
        {
            string root = Path.Combine(InputRoot, kind);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string target = Path.GetFileName(Path.GetDirectoryName(file)!);
                yield return new TestCaseData(target, file).SetArgDisplayNames(target, $"{kind}/{Path.GetFileName(file)}");
            }
        }
    }

    [Test]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (string target in FuzzTargets.Names)
        {
            string folder = Path.Combine(InputRoot, "corpus", target);
            Assert.That(Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Count() : 0, Is.GreaterThanOrEqualTo(3), target);
        }
    }

    [TestCaseSource(nameof(Inputs))]
    public void Input_is_handled_without_an_unexpected_exception(string target, string file)
    {
        Assert.That(FuzzTargets.TryGet(target, out Action<byte[]>? run), Is.True, $"no fuzz target '{target}'");
        byte[] input = File.ReadAllBytes(file);
        Assert.That(() => run!(input), Throws.Nothing);
    }
}
