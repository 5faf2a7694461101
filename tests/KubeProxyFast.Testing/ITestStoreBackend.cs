using KubeProxyFast.Storage;

namespace KubeProxyFast.Testing;

/// <summary>
/// A store `kpf server` runs on, for the apiserver suites: shared by the tests of one class (an
/// xunit class fixture, so one etcd serves a whole class), it hands each test fresh, empty data.
/// </summary>
public interface ITestStoreBackend
{
    /// <summary>Fresh, empty data for one test; the previous test's data is gone by then.</summary>
    Task<ITestStoreData> CreateAsync();
}

/// <summary>One test's store data, which outlives the stores opened on it (as a data directory or an etcd outlives `kpf server`).</summary>
public interface ITestStoreData : IAsyncDisposable
{
    /// <summary>Opens a store on this data: again after the previous one was disposed, as the apiserver does when it restarts.</summary>
    IStore Open();
}
