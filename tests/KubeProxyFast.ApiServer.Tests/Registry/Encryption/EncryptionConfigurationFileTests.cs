using System.Text;
using KubeProxyFast.ApiServer.Registry.Encryption;

namespace KubeProxyFast.ApiServer.Tests.Registry.Encryption;

/// <summary>Kubernetes' EncryptionConfiguration file: what is accepted, each error named, and the default made on first start.</summary>
public sealed class EncryptionConfigurationFileTests : IDisposable
{
    private const string Key16 = "MDEyMzQ1Njc4OWFiY2RlZg==";
    private const string Key32 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-encryption-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static string Config(string providers, string resources = "- secrets") => $"""
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources:
              {resources}
            providers:
        {providers}
        """;

    internal static string AesGcm(params (string Name, string Secret)[] keys) =>
        "      - aesgcm:\n          keys:\n" + string.Concat(keys.Select(k => $"            - name: {k.Name}\n              secret: {k.Secret}\n"));

    private static string Error(string text) => Assert.Throws<FormatException>(() => EncryptionConfigurationFile.Parse(text)).Message;

    [Fact]
    public void Parse_AesGcmThenIdentity_FirstKeyWritesForSecretsOnly()
    {
        var encryption = EncryptionConfigurationFile.Parse(Config(AesGcm(("new", Key32), ("old", Key16)) + "      - identity: {}\n"));

        var chain = encryption.For("secrets", "")!;
        Assert.Equal(("aesgcm", "new"), (chain.Writer.Provider, chain.Writer.KeyName));
        Assert.Null(encryption.For("configmaps", ""));
    }

    [Fact]
    public void Parse_Wildcards_ExactFirstThenGroupThenAll()
    {
        var text = Config(AesGcm(("k", Key32)), "- '*.'\n      - leases.coordination.k8s.io\n      - '*.*'");

        var encryption = EncryptionConfigurationFile.Parse(text);

        Assert.NotNull(encryption.For("configmaps", ""));
        Assert.NotNull(encryption.For("leases", "coordination.k8s.io"));
        Assert.NotNull(encryption.For("anything", "example.com"));
    }

    [Fact]
    public void Parse_KeyOfWrongLength_NamesFieldAndLengthNotTheKey()
    {
        var message = Error(Config(AesGcm(("k", "c2hvcnQ="))));

        Assert.Equal("resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got 5, expected one of [16 24 32]", message);
    }

    [Fact]
    public void Parse_KeyNotBase64_IsNamed() =>
        Assert.Equal("resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: \"REDACTED\": secrets must be base64 encoded",
            Error(Config(AesGcm(("k", "not base64!")))));

    [Fact]
    public void Parse_AesCbcKeyOf16Bytes_IsAccepted() =>
        Assert.Equal("aescbc", EncryptionConfigurationFile.Parse(Config($"      - aescbc:\n          keys:\n            - name: k\n              secret: {Key16}\n"))
            .For("secrets", "")!.Writer.Provider);

    [Fact]
    public void Parse_AesCbcKeyOfWrongLength_ListsKubernetesSizes() =>
        Assert.Contains("got 5, expected one of [16 24 32]", Error(Config("      - aescbc:\n          keys:\n            - name: k\n              secret: c2hvcnQ=\n")), StringComparison.Ordinal);

    [Fact]
    public void Parse_ResourceInTwoEntries_HasEveryEntrysProviders()
    {
        var text = Config(AesGcm(("new", Key32))) + "  - resources:\n      - secrets\n    providers:\n" + AesGcm(("old", Key16));
        var stored = EncryptionConfigurationFile.Parse(Config(AesGcm(("old", Key16)))).For("secrets", "")!.Write("{}"u8, "/registry/secrets/default/s");

        var chain = EncryptionConfigurationFile.Parse(text).For("secrets", "")!;

        Assert.Equal("new", chain.Writer.KeyName);
        Assert.Equal("{}", Encoding.UTF8.GetString(chain.Read(stored, "/registry/secrets/default/s")));
    }

    [Theory]
    [InlineData("- '*.'\n      - secrets", "resources[0].resources[1]: Invalid value: \"secrets\": resource \"secrets\" is masked by earlier rule \"*.\"")]
    [InlineData("- '*.apps'\n      - deployments.apps", "resources[0].resources[1]: Invalid value: \"deployments.apps\": resource \"deployments.apps\" is masked by earlier rule \"*.apps\"")]
    [InlineData("- '*.*'\n      - secrets", "resources[0].resources[1]: Invalid value: \"secrets\": resource \"secrets\" is masked by earlier rule \"*.*\"")]
    public void Parse_ResourceAfterWildcardCoveringIt_IsRefused(string resources, string message) =>
        Assert.Equal(message, Error(Config(AesGcm(("k", Key32)), resources)));

    [Theory]
    [InlineData("      - secretbox:\n          keys: []\n", "resources[0].providers[0].secretbox: Invalid value: \"\": provider secretbox is not supported by this apiserver")]
    [InlineData("      - kms:\n          name: x\n", "resources[0].providers[0].kms: Invalid value: \"\": provider kms is not supported by this apiserver")]
    [InlineData("      - rot13: {}\n", "resources[0].providers[0]: Invalid value: \"rot13\": provider does not contain any of the expected providers")]
    [InlineData("      - identity: {}\n        aesgcm: {}\n", "resources[0].providers[0]: Invalid value: \"identity,aesgcm\": more than one provider specified in a single element")]
    [InlineData("      - aesgcm:\n          keys: []\n", "resources[0].providers[0].aesgcm.keys: Required value: at least one keys is required")]
    public void Parse_BadProvider_NamesIt(string providers, string start) =>
        Assert.StartsWith(start, Error(Config(providers)), StringComparison.Ordinal);

    [Fact]
    public void Parse_DuplicateKeyName_IsRefused() =>
        Assert.Equal("resources[0].providers[0].aesgcm.keys[1].name: Duplicate value: \"k\"", Error(Config(AesGcm(("k", Key32), ("k", Key16)))));

    [Theory]
    [InlineData("apiVersion: v1\nkind: ConfigMap\n", "expected apiVersion apiserver.config.k8s.io/v1 and kind EncryptionConfiguration, found apiVersion \"v1\" and kind \"ConfigMap\"")]
    [InlineData("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n", "resources: Required value: at least one resources is required")]
    [InlineData("[1, 2", "not YAML or JSON: ")]
    [InlineData("", "expected one EncryptionConfiguration document, found 0")]
    public void Parse_MalformedFile_SaysWhat(string text, string start) =>
        Assert.StartsWith(start, Error(text), StringComparison.Ordinal);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void LoadOrCreateDefault_FirstStart_WritesOwnerOnlyFileThenReadsTheSameKey()
    {
        var (created, path, isNew) = EncryptionConfigurationFile.LoadOrCreateDefault(_directory);
        var (loaded, _, again) = EncryptionConfigurationFile.LoadOrCreateDefault(_directory);

        Assert.True(isNew);
        Assert.False(again);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains("kind: EncryptionConfiguration", File.ReadAllText(path), StringComparison.Ordinal);
        var stored = created.For("secrets", "")!.Write("{\"kind\":\"Secret\"}"u8, "/registry/secrets/default/s");
        Assert.Equal("{\"kind\":\"Secret\"}", Encoding.UTF8.GetString(loaded.For("secrets", "")!.Read(stored, "/registry/secrets/default/s")));
        Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }
}
