using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;

namespace KubeProxyFast.Testing;

/// <summary>The embedded store on disk, as `kpf server --data-dir` runs it: each test's data is a temporary directory.</summary>
public sealed class EmbeddedStoreBackend : ITestStoreBackend
{
    /// <inheritdoc/>
    public Task<ITestStoreData> CreateAsync() => Task.FromResult<ITestStoreData>(new Data(Directory.CreateTempSubdirectory("kpf-embedded-")));

    private sealed class Data(DirectoryInfo directory) : ITestStoreData
    {
        public IStore Open() => EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory.FullName });

        public ValueTask DisposeAsync()
        {
            directory.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
