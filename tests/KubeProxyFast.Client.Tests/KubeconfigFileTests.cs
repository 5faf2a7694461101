
namespace KubeProxyFast.Client.Tests;

public sealed class KubeconfigFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "kpf-kubeconfig-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void ReadServer_CurrentContext_PicksItsCluster()
    {
        File.WriteAllText(_path, """
            clusters:
            - name: a
              cluster: {server: "http://198.18.0.1:6443"}
            - name: b
              cluster: {server: "http://127.0.0.1:8080"}
            contexts:
            - name: ctx
              context: {cluster: b, user: u}
            current-context: ctx
            """);

        Assert.Equal(new Uri("http://127.0.0.1:8080"), KubeconfigFile.ReadServer(_path));
    }

    [Fact]
    public void ReadServer_NoCurrentContextOneCluster_PicksIt()
    {
        File.WriteAllText(_path, "clusters:\n- name: a\n  cluster:\n    server: http://127.0.0.1:9\n");

        Assert.Equal(new Uri("http://127.0.0.1:9"), KubeconfigFile.ReadServer(_path));
    }

    [Fact]
    public void ReadServer_ContextOfMissingCluster_ThrowsNamingFile()
    {
        File.WriteAllText(_path, "contexts:\n- name: c\n  context: {cluster: gone}\ncurrent-context: c\n");

        var error = Assert.Throws<FormatException>(() => KubeconfigFile.ReadServer(_path));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains("gone", error.Message, StringComparison.Ordinal);
    }
}
