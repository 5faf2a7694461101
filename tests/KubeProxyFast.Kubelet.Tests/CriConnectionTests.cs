using KubeProxyFast.Kubelet.Cri;

namespace KubeProxyFast.Kubelet.Tests;

public class CriConnectionTests
{
    [Theory]
    [InlineData("unix:///run/k/containerd.sock", "/run/k/containerd.sock")]
    [InlineData("/run/k/containerd.sock", "/run/k/containerd.sock")]
    public void SocketPathOf_UnixEndpoints_GivesThePath(string endpoint, string expected) =>
        Assert.Equal(expected, CriConnection.SocketPathOf(endpoint));

    [Fact]
    public void SocketPathOf_TcpEndpoint_IsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => CriConnection.SocketPathOf("tcp://127.0.0.1:1234"));
        Assert.Contains("tcp://127.0.0.1:1234", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_NoRuntimeOnTheSocket_NamesTheSocket()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kpf-nocri-{Guid.NewGuid():N}.sock");
        using var cri = CriConnection.Open("unix://" + path);
        var e = await Assert.ThrowsAsync<CriUnavailableException>(() => cri.CheckAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
