using System.Xml.Linq;

namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>
/// The NuGet.config of a user who installs from artifacts/packages: that folder for this project's
/// packages, and for everything else the packages already on this machine (NuGet's own package folder,
/// read as a local feed, so no download is needed) and then the usual feed.
/// </summary>
internal static class NuGetConfiguration
{
    /// <summary>The usual feed, for a dependency this machine does not have yet.</summary>
    public const string UsualFeed = "https://api.nuget.org/v3/index.json";

    /// <summary>Writes NuGet.config into a folder and returns its path.</summary>
    /// <param name="folder">Where the file goes (a user's project folder).</param>
    /// <param name="onlyThisBuild">Only artifacts/packages, for installing the tool, which has no dependencies.</param>
    public static string Write(string folder, bool onlyThisBuild = false)
    {
        var sources = new XElement("packageSources", new XElement("clear"), Source("this-build", PackedBuild.Folder));
        // Source mapping: this project's packages come from this build alone, never from a cache or feed
        // that may hold an older build of the same version.
        var mapping = new XElement("packageSourceMapping", new XElement(
            "packageSource",
            new XAttribute("key", "this-build"),
            Pattern(PackedBuild.Library),
            Pattern(PackedBuild.Library + ".*")));
        if (!onlyThisBuild)
        {
            string? machine = MachinePackages();
            if (machine is not null)
            {
                sources.Add(Source("this-machine", machine));
                mapping.Add(new XElement("packageSource", new XAttribute("key", "this-machine"), Pattern("*")));
            }

            sources.Add(Source("usual-feed", UsualFeed));
            mapping.Add(new XElement("packageSource", new XAttribute("key", "usual-feed"), Pattern("*")));
        }

        string path = Path.Combine(folder, "NuGet.config");
        new XDocument(new XElement("configuration", sources, mapping)).Save(path);
        return path;
    }

    // NuGet's package folder of this machine (NUGET_PACKAGES, else ~/.nuget/packages): read only.
    private static string? MachinePackages()
    {
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        string folder = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
    }

    private static XElement Source(string key, string value) =>
        new("add", new XAttribute("key", key), new XAttribute("value", value));

    private static XElement Pattern(string pattern) => new("package", new XAttribute("pattern", pattern));
}
