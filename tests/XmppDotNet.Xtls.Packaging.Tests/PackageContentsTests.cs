using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>What a package page shows and what a restore pulls in: the .nuspec and files of each package.</summary>
[TestFixture]
[Category("Packaging")]
public sealed class PackageContentsTests
{
    private const string ProjectUrl = "https://github.com/XmppDotNet/XmppDotNet.Xtls";

    private static readonly string[] LibraryDependencies =
    [
        "BouncyCastle.Cryptography", "DotNetty.Buffers", "DotNetty.Common", "DotNetty.Transport",
        "Microsoft.Extensions.Logging.Abstractions", PackedBuild.Host,
    ];

    private static readonly string[] HostDependencies =
    [
        "DotNetty.Buffers", "DotNetty.Codecs", "DotNetty.Common", "DotNetty.Handlers", "DotNetty.Transport",
        "Microsoft.Extensions.Logging.Abstractions",
    ];

    [TestCase(PackedBuild.Library)]
    [TestCase(PackedBuild.Host)]
    public void A_library_depends_only_on_what_its_code_uses(string id)
    {
        XElement metadata = Metadata(id);
        var dependencies = metadata.Descendants(Nuspec(metadata, "dependency")).Select(d => (string)d.Attribute("id")!).Order(StringComparer.Ordinal).ToList();

        Assert.That(dependencies, Is.EqualTo(id == PackedBuild.Library ? LibraryDependencies.Order(StringComparer.Ordinal) : HostDependencies));
    }

    [TestCase(PackedBuild.Library)]
    [TestCase(PackedBuild.Host)]
    [TestCase(PackedBuild.Tool)]
    public void The_package_page_has_a_readme_tags_release_notes_and_the_repository(string id)
    {
        XElement metadata = Metadata(id);
        string readme = (string?)metadata.Element(Nuspec(metadata, "readme")) ?? string.Empty;

        Assert.Multiple(() =>
        {
            Assert.That(readme, Is.EqualTo("README.md"));
            Assert.That(Entry(id, readme), Does.StartWith("# "));
            Assert.That(Entry(id, readme), Does.Contain(ProjectUrl));
            Assert.That((string?)metadata.Element(Nuspec(metadata, "tags")), Does.Contain("xmpp"));
            Assert.That((string?)metadata.Element(Nuspec(metadata, "projectUrl")), Is.EqualTo(ProjectUrl));
            Assert.That((string?)metadata.Element(Nuspec(metadata, "repository"))?.Attribute("url"), Is.EqualTo(ProjectUrl));
            Assert.That((string?)metadata.Element(Nuspec(metadata, "license")), Is.EqualTo("MIT"));
        });
    }

    [Test]
    public void The_release_notes_are_the_changelog_section_of_this_version()
    {
        string changelog = File.ReadAllText(Path.Combine(PackedBuild.RepositoryRoot, "CHANGELOG.md")).ReplaceLineEndings("\n");
        string notes = ((string?)Metadata(PackedBuild.Library).Element(Nuspec(Metadata(PackedBuild.Library), "releaseNotes")) ?? string.Empty).ReplaceLineEndings("\n");
        string heading = changelog.Contains($"\n## [{PackedBuild.Version}]", StringComparison.Ordinal) ? $"## [{PackedBuild.Version}]" : "## [Unreleased]";
        string section = changelog[(changelog.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..];
        section = section[(section.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        // The section ends at the next version's heading or at the link references at the bottom.
        Match end = Regex.Match(section, @"^(## \[|\[[^\]]+\]: )", RegexOptions.Multiline);
        section = (end.Success ? section[..end.Index] : section).Trim();

        Assert.That(section, Is.Not.Empty);
        Assert.That(notes, Does.StartWith(section));
        Assert.That(notes, Does.EndWith($"{ProjectUrl}/blob/main/CHANGELOG.md"));
    }

    [TestCase(PackedBuild.Library)]
    [TestCase(PackedBuild.Host)]
    public void A_library_has_a_symbol_package_with_its_pdb(string id)
    {
        using ZipArchive symbols = ZipFile.OpenRead(PackedBuild.Package(id, ".snupkg"));

        Assert.That(symbols.Entries.Select(entry => entry.FullName), Does.Contain($"lib/net10.0/{id}.pdb"));
    }

    [Test]
    public void The_tool_package_installs_the_command_xtls()
    {
        XDocument settings = XDocument.Parse(Entry(PackedBuild.Tool, "tools/net10.0/any/DotnetToolSettings.xml"));
        XElement? command = settings.Descendants("Command").SingleOrDefault();

        Assert.That((string?)command?.Attribute("Name"), Is.EqualTo("xtls"));
        Assert.That((string?)command?.Attribute("EntryPoint"), Is.EqualTo("xtls.dll"));
        Assert.That(Metadata(PackedBuild.Tool).Element(Nuspec(Metadata(PackedBuild.Tool), "packageTypes"))?.ToString(), Does.Contain("DotnetTool"));
    }

    private static XElement Metadata(string id)
    {
        XDocument nuspec = XDocument.Parse(Entry(id, $"{id}.nuspec"));
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    private static XName Nuspec(XElement metadata, string name) => metadata.Name.Namespace + name;

    private static string Entry(string id, string name)
    {
        using ZipArchive package = ZipFile.OpenRead(PackedBuild.Package(id));
        ZipArchiveEntry entry = package.GetEntry(name) ?? throw new AssertionException($"{id} has no {name}.");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
