using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Contract;

/// <summary>The contract against the embedded store, persisting to a temporary data directory; its leases run on a fake clock.</summary>
public sealed class EmbeddedStoreContractTests : StoreContractTests
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-embedded-");
    private readonly FakeTimeProvider _clock = new();

    protected override Task<IStore> OpenStoreAsync() =>
        Task.FromResult<IStore>(EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName, Time = _clock }));

    protected override void PassTime(TimeSpan by) => _clock.Advance(by);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Delete(recursive: true);
    }
}

/// <summary>The contract against the embedded store in memory only; its leases run on a fake clock.</summary>
public sealed class InMemoryEmbeddedStoreContractTests : StoreContractTests
{
    private readonly FakeTimeProvider _clock = new();

    protected override Task<IStore> OpenStoreAsync() => Task.FromResult<IStore>(EmbeddedStore.Open(new EmbeddedStoreOptions { Time = _clock }));

    protected override void PassTime(TimeSpan by) => _clock.Advance(by);
}
