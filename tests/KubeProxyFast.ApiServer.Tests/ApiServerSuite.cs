using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests;

/// <summary>
/// A suite of apiserver tests written once and run on each store `kpf server` uses, by two small
/// sealed subclasses: one on the on-disk embedded store, one on etcd (an xunit class fixture, so
/// one etcd per class). Each test gets a fresh apiserver on fresh, empty data, as the store
/// contract suite (tests/KubeProxyFast.Storage.Tests/Contract) does for the stores themselves.
/// </summary>
public abstract class ApiServerSuite(ITestStoreBackend backend) : IAsyncLifetime
{
    private ITestStoreData? _data;
    private TestApiServer? _server;
    private ApiServerOptions? _serverOptions;

    /// <summary>This test's apiserver.</summary>
    protected TestApiServer Server => _server ?? throw new InvalidOperationException("the apiserver has not started");

    /// <summary>The options every server of this suite starts with; null for the test defaults.</summary>
    protected virtual ApiServerOptions? Options => null;

    public virtual async Task InitializeAsync()
    {
        _data = await backend.CreateAsync();
        _serverOptions = Options;
        _server = await TestApiServer.StartAsync(_data, _serverOptions);
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        if (_data is not null)
        {
            await _data.DisposeAsync();
        }
    }

    /// <summary>Stops the apiserver and starts a new one, with the same options, that opens the same data again: `kpf server` restarted.</summary>
    protected async Task RestartAsync()
    {
        await StopAsync();
        _server = await TestApiServer.StartAsync(_data!, _serverOptions);
    }

    /// <summary>Replaces the apiserver with one started with <paramref name="options"/> on fresh, empty data.</summary>
    protected async Task StartOnFreshDataAsync(ApiServerOptions options)
    {
        await StopAsync();
        await _data!.DisposeAsync();
        _data = await backend.CreateAsync();
        _serverOptions = options;
        _server = await TestApiServer.StartAsync(_data, options);
    }

    private async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
