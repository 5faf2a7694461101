using System.Text.RegularExpressions;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Tests.Config;

/// <summary>
/// The files under the repository's <c>examples/</c>, which the README runs, so they cannot rot:
/// each decodes through the real manifest reader and every object in it is valid; each file the
/// README passes to <c>kpf proxy --config</c> builds a snapshot as the proxy would load it; and every
/// example the README names exists.
/// </summary>
public sealed partial class ExampleFilesTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    public static TheoryData<string> Files => [.. Directory.EnumerateFiles(Path.Combine(Root, "examples"), "*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
        .Select(f => Path.GetRelativePath(Root, f))
        .Order(StringComparer.Ordinal)];

    public static TheoryData<string> ProxyConfigs => [.. ProxyConfigPath().Matches(Readme).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_Decoded_EveryObjectIsValid(string file)
    {
        var objects = Read(file);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.True(ObjectValidation.Validate(o.ApiObject).Count == 0,
            $"{file}: {o.Origin}: {string.Join("; ", ObjectValidation.Validate(o.ApiObject))}"));
    }

    [Theory]
    [MemberData(nameof(ProxyConfigs))]
    public void ProxyConfigExample_LoadedAsKpfProxyLoadsIt_ServesEveryPortWithEndpointsAndNoWarning(string file)
    {
        var result = SnapshotBuilder.Build(Read(file).Select(o => o.ApiObject));

        Assert.True(result.Succeeded, $"{file}: {string.Join("; ", result.Errors)}");
        Assert.Empty(result.Warnings);
        Assert.NotEmpty(result.Snapshot!.Ports);
        Assert.All(result.Snapshot.Ports, p => Assert.NotEmpty(p.Endpoints));
    }

    [Fact]
    public void Readme_ExamplesItNames_Exist()
    {
        var named = ExamplePath().Matches(Readme).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.NotEmpty(ProxyConfigs);
        Assert.All(named, path => Assert.True(File.Exists(Path.Combine(Root, path)), $"README.md names {path}, which does not exist"));
    }

    private static IReadOnlyList<ConfigObject> Read(string file)
    {
        var ok = ConfigFileReader.TryRead(File.ReadAllText(Path.Combine(Root, file)), out var objects, out var error);
        Assert.True(ok, $"{file}: {error}");
        return objects;
    }

    /// <summary>The checkout this test was built from: the first parent folder holding KubeProxyFast.sln.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeProxyFast.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no KubeProxyFast.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"examples/[\w./-]+\.(?:yaml|yml|json)")]
    private static partial Regex ExamplePath();

    [GeneratedRegex(@"--config (examples/[\w./-]+\.(?:yaml|yml|json))")]
    private static partial Regex ProxyConfigPath();
}
