using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Etcd;

/// <summary>One etcd for a test class.</summary>
public sealed class EtcdFixture : IDisposable
{
    public EtcdServer Server { get; } = EtcdServer.Launch();

    public void Dispose() => Server.Dispose();
}
