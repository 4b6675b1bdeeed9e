using System.Text;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Prosody;

/// <summary>The search that proves a server kept no plaintext must be able to find plaintext.</summary>
[TestFixture]
public sealed class ServerFilesTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("xtls-files-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Finds_text_in_nested_files_and_names_them_relative_to_the_root()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data", "offline"));
        File.WriteAllText(Path.Combine(_root, "data", "offline", "nurse.list"), "body = \"needle-42\";");
        File.WriteAllText(Path.Combine(_root, "prosody.log"), "nothing here");

        Assert.Multiple(() =>
        {
            Assert.That(ServerFiles.Containing(_root, "needle-42"), Is.EqualTo(new[] { Path.Combine("data", "offline", "nurse.list") }));
            Assert.That(ServerFiles.Containing(_root, "needle-43"), Is.Empty);
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    public void One_base64_form_appears_whatever_the_offset_of_the_text(int offset)
    {
        const string Marker = "tunnel-marker-5f0c2a";
        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', offset) + Marker + "</body>"));

        Assert.That(ServerFiles.Base64Forms(Marker).Any(form => encoded.Contains(form, StringComparison.Ordinal)), Is.True, encoded);
    }
}
