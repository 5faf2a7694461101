using KubeProxyFast.Cli;
using KubeProxyFast.KubeProxy.Tests.Support;

namespace KubeProxyFast.KubeProxy.Tests.Cli;

/// <summary><c>kpf proxy</c>'s flag errors, in-process; each must fail before anything listens.</summary>
public sealed class ProxyCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string ValidFile() => _dir.WriteAtomically("services.yaml", Manifests.Service("web", TestAddresses.NextClusterIP(), 18080));

    [Fact]
    public void Proxy_WithoutSource_FailsNamingBothSources()
    {
        var (code, _, error) = Run("proxy");

        Assert.Equal(1, code);
        Assert.Contains("give a source: --config FILE (Services and Endpoints in a file) or --kubeconfig FILE / --master URL", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--kubeconfig")]
    [InlineData("--master")]
    public void Proxy_ConfigAndApiServer_FailsSayingToGiveOne(string flag)
    {
        var (code, _, error) = Run("proxy", "--config", ValidFile(), flag, flag == "--master" ? "http://127.0.0.1:8080" : ValidFile());

        Assert.Equal(1, code);
        Assert.Contains("--config and --kubeconfig/--master are two sources: give one", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("ftp://127.0.0.1/")]
    public void Proxy_MasterNotAnHttpUrl_FailsNamingTheFlag(string master)
    {
        var (code, _, error) = Run("proxy", "--master", master);

        Assert.Equal(1, code);
        Assert.Contains($"--master: \"{master}\": must be an http:// or https:// URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_KubeconfigMissing_FailsNamingTheFile()
    {
        var path = _dir.File("absent-kubeconfig");
        var (code, _, error) = Run("proxy", "--kubeconfig", path);

        Assert.Equal(1, code);
        Assert.Contains($"kpf proxy: --kubeconfig {path}: no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_ConfigFileMissing_FailsNamingTheFile()
    {
        var path = _dir.File("absent.yaml");

        var (code, _, error) = Run("proxy", "--config", path);

        Assert.Equal(1, code);
        Assert.Contains($"kpf proxy: --config {path}: no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_ConfigIsADirectory_FailsSayingSo()
    {
        var (code, _, error) = Run("proxy", "--config", _dir.Path);

        Assert.Equal(1, code);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--drain-period", "10x", "--drain-period: unknown unit \"x\" in duration \"10x\"")]
    [InlineData("--idle-timeout", "5", "--idle-timeout: missing unit in duration \"5\"")]
    [InlineData("--udp-timeout", "fast", "--udp-timeout: invalid duration \"fast\"")]
    [InlineData("--udp-timeout", "0s", "--udp-timeout: \"0s\": must be positive")]
    [InlineData("--drain-period", "-1s", "--drain-period: \"-1s\": must be zero or positive")]
    [InlineData("--sync-period", "0s", "--sync-period: \"0s\": must be positive")]
    [InlineData("--min-sync-period", "soon", "--min-sync-period: invalid duration \"soon\"")]
    public void Proxy_BadDuration_FailsNamingTheFlag(string flag, string value, string expected)
    {
        var (code, _, error) = Run("proxy", "--config", ValidFile(), flag, value);

        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--balancing", "fastest", "--balancing: unknown value \"fastest\" (expected one of: random, round-robin)")]
    [InlineData("--relay", "zero-copy", "--relay: unknown value \"zero-copy\" (expected one of: auto, splice, buffer)")]
    [InlineData("--log-level", "loud", "--log-level: unknown value \"loud\"")]
    [InlineData("--proxy-mode", "iptables", "--proxy-mode: unknown value \"iptables\" (expected one of: direct, userspace, kernel)")]
    [InlineData("--threads", "0", "--threads: \"0\": must be a number between 1 and 256")]
    [InlineData("--threads", "many", "--threads: \"many\": must be a number between 1 and 256")]
    [InlineData("--metrics-bind-address", "10249", "--metrics-bind-address: invalid address \"10249\"")]
    public void Proxy_BadValue_FailsNamingTheFlag(string flag, string value, string expected)
    {
        var (code, _, error) = Run("proxy", "--config", ValidFile(), flag, value);

        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_InvalidObjectsInConfig_FailsToStartNamingTheField()
    {
        var path = _dir.WriteAtomically("services.yaml", Manifests.Service("web", TestAddresses.NextClusterIP(), 70000));

        var (code, _, error) = Run("proxy", "--config", path, "--metrics-bind-address", "", "--log-level", "critical");

        Assert.Equal(1, code);
        Assert.Contains($"kpf proxy: cannot start: {path}: document 1: Service \"web\" is invalid: spec.ports[0].port: Invalid value: 70000",
            error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheProxyCommand()
    {
        var (code, output, _) = Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("proxy", output, StringComparison.Ordinal);
    }
}
