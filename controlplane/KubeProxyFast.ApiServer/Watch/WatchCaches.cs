using System.Collections.Concurrent;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>The watch cache of each resource, started with the server (so the first watches find them ready) and stopped with it.</summary>
internal sealed class WatchCaches : IAsyncDisposable
{
    private readonly IStore _store;
    private readonly ILogger _logger;
    private readonly long _ringBytesLimit;
    private readonly ConcurrentDictionary<string, Lazy<WatchCache>> _caches = new(StringComparer.Ordinal);

    public WatchCaches(IStore store, ILogger logger, long ringBytesLimit)
    {
        _store = store;
        _logger = logger;
        _ringBytesLimit = ringBytesLimit;
    }

    public void Start(IEnumerable<ResourceDefinition> resources)
    {
        foreach (var resource in resources)
        {
            _ = For(resource);
        }
    }

    public WatchCache For(ResourceDefinition resource) =>
        _caches.GetOrAdd(resource.Name, _ => new Lazy<WatchCache>(() => new WatchCache(resource, _store, _logger, _ringBytesLimit))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var cache in _caches.Values)
        {
            if (cache.IsValueCreated)
            {
                await cache.Value.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
