using System.Reflection;

namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>
/// The packages of this build in artifacts/packages, made by <c>./build.sh --target=Pack</c> (which
/// <c>--target=Test</c> runs first), and the version they carry.
/// </summary>
internal static class PackedBuild
{
    /// <summary>The id of the library package with the XTLS plugin.</summary>
    public const string Library = "XmppDotNet.Xtls";

    /// <summary>The id of the host library package.</summary>
    public const string Host = "XmppDotNet.Xtls.Host";

    /// <summary>The id of the tool package with the xtls program.</summary>
    public const string Tool = "XmppDotNet.Xtls.Tool";

    /// <summary>The version of this build (VersionPrefix and any suffix, from Directory.Build.props).</summary>
    public static string Version { get; } = typeof(PackedBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "PackageVersion").Value!;

    /// <summary>The repository's root: the folder of XmppDotNet.Xtls.sln above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>artifacts/packages.</summary>
    public static string Folder => Path.Combine(RepositoryRoot, "artifacts", "packages");

    /// <summary>The path of a package of this version, or a failure that says how to make it.</summary>
    public static string Package(string id, string extension = ".nupkg")
    {
        string path = Path.Combine(Folder, $"{id}.{Version}{extension}");
        if (!File.Exists(path))
        {
            Assert.Fail($"{Path.GetFileName(path)} is not in {Folder}. These tests use the packages of this build: "
                + "run ./build.sh --target=Pack first (./build.sh --target=Test does).");
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "XmppDotNet.Xtls.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No XmppDotNet.Xtls.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
