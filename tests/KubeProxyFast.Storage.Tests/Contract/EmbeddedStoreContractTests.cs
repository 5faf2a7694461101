using KubeProxyFast.Storage.Embedded;

namespace KubeProxyFast.Storage.Tests.Contract;

/// <summary>The contract against the embedded store, persisting to a temporary data directory.</summary>
public sealed class EmbeddedStoreContractTests : StoreContractTests
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-embedded-");

    protected override Task<IStore> OpenStoreAsync() =>
        Task.FromResult<IStore>(EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName }));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Delete(recursive: true);
    }
}

/// <summary>The contract against the embedded store in memory only.</summary>
public sealed class InMemoryEmbeddedStoreContractTests : StoreContractTests
{
    protected override Task<IStore> OpenStoreAsync() => Task.FromResult<IStore>(EmbeddedStore.Open(new EmbeddedStoreOptions()));
}
