using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests;

/// <summary>A real apiserver (over an in-memory store) and a <see cref="KubeClient"/> for it, per test.</summary>
public abstract class ClientTestBase : IAsyncLifetime, IDisposable
{
    protected TestApiServer Server { get; private set; } = null!;

    protected KubeClient Client { get; private set; } = null!;

    /// <summary>Cancelled at the end of the test: stops informers the test started.</summary>
    protected CancellationTokenSource Stop { get; } = new();

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        Client = new KubeClient(Server.Url);
    }

    public async Task DisposeAsync()
    {
        await Stop.CancelAsync();
        await Server.DisposeAsync();
    }

    public void Dispose()
    {
        Client.Dispose();
        Stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
