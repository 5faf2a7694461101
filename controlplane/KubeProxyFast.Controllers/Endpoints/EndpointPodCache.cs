using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// The pods of a namespace as the shared pod informer's cache holds them now, each read as an
/// <see cref="EndpointPod"/> projected once per pod version: a sync reads the lister's keys and
/// versions (no decoding) and decodes only the pods that changed since a sync last read them.
/// Safe for concurrent syncs. Each read of a namespace drops the projections of pods no longer in
/// it, so memory follows the cache without listening for deletes.
/// </summary>
internal sealed class EndpointPodCache(Lister<Pod> pods)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, EndpointPod>> _namespaces = new(StringComparer.Ordinal);

    /// <summary>Projections held.</summary>
    public int Count => _namespaces.Values.Sum(n => n.Count);

    /// <summary>The pods of <paramref name="ns"/> in the informer's cache whose labels <paramref name="selector"/> matches.</summary>
    public List<EndpointPod> Select(string ns, IReadOnlyDictionary<string, string> selector)
    {
        var versions = pods.VersionsByIndex(IndexNames.Namespace, ns);
        if (versions.Count == 0)
        {
            _namespaces.TryRemove(ns, out _);
            return [];
        }

        var projections = _namespaces.GetOrAdd(ns, static _ => new ConcurrentDictionary<string, EndpointPod>(StringComparer.Ordinal));
        var result = new List<EndpointPod>();
        foreach (var (key, version) in versions)
        {
            if (!projections.TryGetValue(key, out var pod) || pod.ResourceVersion != version)
            {
                if (pods.GetByKey(key) is not { } current)
                {
                    // Deleted since the versions were read.
                    continue;
                }

                pod = EndpointPod.From(current);
                projections[key] = pod;
            }

            if (SelectorMatches(selector, pod.Labels))
            {
                result.Add(pod);
            }
        }

        if (projections.Count > versions.Count)
        {
            Prune(projections, versions);
        }

        return result;
    }

    private static void Prune(ConcurrentDictionary<string, EndpointPod> projections, IReadOnlyList<CachedVersion> present)
    {
        var keys = new HashSet<string>(present.Count, StringComparer.Ordinal);
        foreach (var version in present)
        {
            keys.Add(version.Key);
        }

        foreach (var key in projections.Keys)
        {
            if (!keys.Contains(key))
            {
                projections.TryRemove(key, out _);
            }
        }
    }

    /// <summary>A service's selector (a set of label equalities) against a pod's labels; an empty selector matches nothing here, as a service without one selects no pods.</summary>
    public static bool SelectorMatches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (selector.Count == 0)
        {
            return false;
        }

        foreach (var (key, value) in selector)
        {
            if (labels is null || !labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
