using KubeProxyFast.Storage.Etcd;
using KubeProxyFast.Storage.Tests.Etcd;

namespace KubeProxyFast.Storage.Tests.Contract;

/// <summary>The contract against a real etcd.</summary>
public sealed class EtcdStoreContractTests(EtcdFixture etcd) : StoreContractTests, IClassFixture<EtcdFixture>
{
    protected override Task<IStore> OpenStoreAsync() => Task.FromResult<IStore>(new EtcdStore(etcd.Server.ClientUrl));
}
