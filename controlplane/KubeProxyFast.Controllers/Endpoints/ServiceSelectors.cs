using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// The selector of every Service that has one, by namespace, kept from the service informer's
/// events (as Kubernetes' <c>ServiceSelectorCache</c>): a pod event finds its services by scanning
/// its own namespace's selectors, decoding no Service.
/// </summary>
internal sealed class ServiceSelectors
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="service"/>'s selector (or forgets the service when it has none).</summary>
    public void Update(Service service)
    {
        var ns = service.Metadata.Namespace ?? "";
        var name = service.Metadata.Name ?? "";
        var selector = service.Spec?.Selector;
        lock (_lock)
        {
            if (selector is not { Count: > 0 })
            {
                RemoveLocked(ns, name);
                return;
            }

            if (!_byNamespace.TryGetValue(ns, out var services))
            {
                _byNamespace[ns] = services = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            }

            // The handler's copy is ours to keep: no one else changes it.
            services[name] = selector;
        }
    }

    /// <summary>Forgets <paramref name="service"/>.</summary>
    public void Remove(Service service)
    {
        lock (_lock)
        {
            RemoveLocked(service.Metadata.Namespace ?? "", service.Metadata.Name ?? "");
        }
    }

    /// <summary>Adds to <paramref name="keys"/> the <c>namespace/name</c> of each service of <paramref name="ns"/> whose selector matches <paramref name="labels"/>.</summary>
    public void AddMatching(string ns, IReadOnlyDictionary<string, string>? labels, HashSet<string> keys)
    {
        if (labels is not { Count: > 0 })
        {
            // A selector with at least one requirement never matches a pod without labels.
            return;
        }

        lock (_lock)
        {
            if (!_byNamespace.TryGetValue(ns, out var services))
            {
                return;
            }

            foreach (var (name, selector) in services)
            {
                if (EndpointPodCache.SelectorMatches(selector, labels))
                {
                    keys.Add(ns + "/" + name);
                }
            }
        }
    }

    private void RemoveLocked(string ns, string name)
    {
        if (_byNamespace.TryGetValue(ns, out var services) && services.Remove(name) && services.Count == 0)
        {
            _byNamespace.Remove(ns);
        }
    }
}
