using System.Reflection;
using MLOps.Pipelines.Internal.Execution;

// This test assembly declares, as the ML library does for ML.NET, the tool whose version its code depends on.
[assembly: MLOps.Pipelines.FingerprintedTools("YamlDotNet")]

namespace MLOps.Pipelines.Tests.Fingerprints;

public class ToolVersionsTests
{
    static readonly Assembly s_declaring = typeof(ToolVersionsTests).Assembly;

    [Fact]
    public void A_declared_tool_is_recorded_by_its_package_version_not_its_assembly_version()
    {
        // YamlDotNet 18.1.0 (Directory.Packages.props) ships assembly version 18.0.0.0.
        ToolVersions.PackageVersion("YamlDotNet").ShouldBe("18.1.0");
        typeof(YamlDotNet.Core.Parser).Assembly.GetName().Version!.ToString().ShouldNotBe("18.1.0");
        ToolVersions.PackageVersion("No.Such.Assembly").ShouldBe("not found");
    }

    [Fact]
    public void The_version_is_read_from_the_file_without_loading_the_assembly_and_equals_the_loaded_ones()
    {
        // Every assembly this test process may load (its trusted platform assemblies): the metadata read must give what
        // loading the assembly and reading its attribute gives, or a no-op build would see every tool version change.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var compared = 0;
        foreach (var path in paths.Where(p => Path.GetFileName(p) is "YamlDotNet.dll" or "Shouldly.dll" or "System.Text.Json.dll" or "xunit.core.dll" or "MLOps.Pipelines.dll"))
        {
            var loaded = Assembly.LoadFrom(path);
            var informational = loaded.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var expected = informational is { Length: > 0 } ? informational.Split('+')[0] : loaded.GetName().Version!.ToString();
            ToolVersions.VersionFromMetadata(path).ShouldBe(expected, path);
            compared++;
        }
        compared.ShouldBe(5);
        ToolVersions.VersionFromMetadata(typeof(ToolVersionsTests).Assembly.Location + ".missing").ShouldBeNull();

        // A tool this process never touched is read without being loaded.
        const string Untouched = "System.Formats.Tar";
        AppDomain.CurrentDomain.GetAssemblies().ShouldNotContain(a => a.GetName().Name == Untouched);
        ToolVersions.PackageVersion(Untouched).ShouldStartWith($"{Environment.Version.Major}.");
        AppDomain.CurrentDomain.GetAssemblies().ShouldNotContain(a => a.GetName().Name == Untouched);
    }

    [Fact]
    public void Declared_tools_count_only_for_targets_whose_code_reaches_the_declaring_assembly()
    {
        // The build assembly is the engine here, so the test assembly is a library that targets may or may not reach.
        var versions = new ToolVersions(typeof(PipelineBuild).Assembly, [s_declaring]);
        var reaching = versions.For([s_declaring.GetName().Name!]);
        reaching["YamlDotNet"].ShouldBe("18.1.0");
        reaching["dotnet"].ShouldBe(Environment.Version.ToString());
        reaching.ShouldContainKey("configuration");
        versions.For([]).ShouldNotContainKey("YamlDotNet");

        // The build's own declarations hold for every target.
        new ToolVersions(s_declaring, [s_declaring]).For([])["YamlDotNet"].ShouldBe("18.1.0");
    }
}
