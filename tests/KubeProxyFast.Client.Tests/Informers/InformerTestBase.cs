using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Informers;

/// <summary>A real apiserver, a client whose requests are recorded (and whose watches can be held), and informer factories stopped at the end.</summary>
public abstract class InformerTestBase : IAsyncLifetime, IDisposable
{
    protected static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly List<SharedInformerFactory> _factories = [];
    private HttpClient? _http;

    protected TestApiServer Server { get; private set; } = null!;

    /// <summary>The client of the informers: its requests go through <see cref="Requests"/>.</summary>
    protected KubeClient Client { get; private set; } = null!;

    internal ApiRequests Requests { get; } = new();

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        _http = new HttpClient(Requests) { BaseAddress = Server.Url };
        Client = new KubeClient(_http);
    }

    public async Task DisposeAsync()
    {
        Requests.OpenWatches();
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A factory over <see cref="Client"/>, disposed at the end of the test.</summary>
    protected SharedInformerFactory Factory(SharedInformerOptions? options = null)
    {
        var factory = new SharedInformerFactory(Client, options);
        _factories.Add(factory);
        return factory;
    }
}
