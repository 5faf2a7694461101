using KubeProxyFast.Kubelet.Images;

namespace KubeProxyFast.Kubelet.Tests.Images;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "busybox", null, null, "busybox:latest", "Always")]
    [InlineData("busybox:latest", "busybox", "latest", null, "busybox:latest", "Always")]
    [InlineData("busybox:1.36", "busybox", "1.36", null, "busybox:1.36", "IfNotPresent")]
    [InlineData("127.0.0.1:5000/kpf/busybox:1", "127.0.0.1:5000/kpf/busybox", "1", null, "127.0.0.1:5000/kpf/busybox:1", "IfNotPresent")]
    [InlineData("localhost/kpf/pause:3.10", "localhost/kpf/pause", "3.10", null, "localhost/kpf/pause:3.10", "IfNotPresent")]
    [InlineData("registry.example:443/a/b-c__d", "registry.example:443/a/b-c__d", null, null, "registry.example:443/a/b-c__d:latest", "Always")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "busybox", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    [InlineData("busybox:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "busybox", "latest", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "busybox:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always")]
    public void TryParse_Valid_GivesPartsDefaultTagAndPolicy(string image, string name, string? tag, string? digest, string withDefaultTag, string policy)
    {
        Assert.True(ImageReference.TryParse(image, out var r));
        Assert.Equal(name, r.Name);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(digest, r.Digest);
        Assert.Equal(withDefaultTag, r.WithDefaultTag);
        Assert.Equal(policy, r.DefaultPullPolicy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Busybox")]
    [InlineData("bad image")]
    [InlineData("busybox:")]
    [InlineData("busybox@sha256:short")]
    [InlineData("/busybox")]
    [InlineData("busybox:-1")]
    [InlineData("a//b")]
    public void TryParse_Invalid_IsFalse(string image) => Assert.False(ImageReference.TryParse(image, out _));
}
