namespace XmppDotNet.Xtls.Packaging.Tests;

/// <summary>
/// The XmppDotNet.Xtls package as a user gets it: a new console project with a PackageReference to it,
/// restored from artifacts/packages, built, and run: two clients on an in-memory server open a tunnel
/// and send a message through it (Consumer/Program.cs).
/// </summary>
[TestFixture]
[Category("Packaging")]
public sealed class LibraryPackageTests
{
    private TemporaryFolder _folder = null!;
    private string _packages = null!;
    private ProcessResult _build = null!;
    private ProcessResult _run = null!;

    [OneTimeSetUp]
    public async Task BuildAndRunAProgramAgainstThePackage()
    {
        PackedBuild.Package(PackedBuild.Library);
        PackedBuild.Package(PackedBuild.Host);
        _folder = new TemporaryFolder();
        _packages = _folder.Combine("nuget-packages");
        string project = Directory.CreateDirectory(_folder.Combine("Romeo")).FullName;
        NuGetConfiguration.Write(project);
        File.WriteAllText(Path.Combine(project, "Romeo.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedBuild.Library}" Version="{PackedBuild.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(TestContext.CurrentContext.TestDirectory, "Consumer", "Program.cs"), Path.Combine(project, "Program.cs"));

        _build = await ChildProcess.DotNetAsync(project, _packages, "build", "-c", "Release", "-nologo");
        Assert.That(_build.ExitCode, Is.EqualTo(0), _build.ToString());
        _run = await ChildProcess.DotNetAsync(project, _packages, Path.Combine("bin", "Release", "net10.0", "Romeo.dll"));
    }

    [OneTimeTearDown]
    public void CleanUp() => _folder?.Dispose();

    [Test]
    public void The_packages_restored_are_the_ones_of_this_build()
    {
        foreach (string id in new[] { PackedBuild.Library, PackedBuild.Host })
        {
            string lower = id.ToLowerInvariant();
            string restored = Path.Combine(_packages, lower, PackedBuild.Version.ToLowerInvariant(), $"{lower}.{PackedBuild.Version.ToLowerInvariant()}.nupkg");

            Assert.That(File.Exists(restored), Is.True, $"{id} was not restored into {_packages}\n{_build}");
            Assert.That(File.ReadAllBytes(restored), Is.EqualTo(File.ReadAllBytes(PackedBuild.Package(id))), $"{restored} is not the package in {PackedBuild.Folder}");
        }
    }

    [Test]
    public void The_program_exits_0()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.ToString());
        Assert.That(_run.Error, Is.Empty, _run.ToString());
    }

    [Test]
    public void The_tunnel_opens_with_TLS_1_3()
    {
        Assert.That(_run.Output, Does.Match(@"(?m)^tunnel: TLSv1\.3, TLS_\w+$"), _run.ToString());
    }

    [Test]
    public void The_message_arrives_through_the_tunnel_from_romeo()
    {
        Assert.That(_run.Output, Does.Contain("juliet received through the tunnel from romeo@capulet.lit/orchard: It is my lady, O, it is my love!"), _run.ToString());
    }

    [Test]
    public void The_tunnel_closes()
    {
        Assert.That(_run.Output, Does.Contain("closed; open tunnels: 0"), _run.ToString());
    }
}
