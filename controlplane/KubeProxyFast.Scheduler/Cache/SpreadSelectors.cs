namespace KubeProxyFast.Scheduler.Cache;

/// <summary>
/// The selectors of Services and ReplicationControllers by namespace, from which Kubernetes'
/// <c>DefaultSelector</c> builds the selector that spreading counts pods with: the union of the
/// selectors of every Service and RC (in the pod's namespace) that selects the pod.
/// </summary>
internal sealed class SpreadSelectors
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, KeyValuePair<string, string>[]>> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>Records the selector of the object <paramref name="kind"/>/<paramref name="ns"/>/<paramref name="name"/>; an empty or null one removes it (it selects nothing).</summary>
    public void Set(string kind, string ns, string name, Dictionary<string, string>? selector)
    {
        lock (_lock)
        {
            if (selector is not { Count: > 0 })
            {
                Remove(kind, ns, name);
                return;
            }

            if (!_byNamespace.TryGetValue(ns, out var selectors))
            {
                _byNamespace[ns] = selectors = new(StringComparer.Ordinal);
            }

            selectors[kind + "/" + name] = [.. selector];
        }
    }

    /// <summary>Forgets the object's selector.</summary>
    public void Remove(string kind, string ns, string name)
    {
        lock (_lock)
        {
            if (_byNamespace.TryGetValue(ns, out var selectors) && selectors.Remove(kind + "/" + name) && selectors.Count == 0)
            {
                _byNamespace.Remove(ns);
            }
        }
    }

    /// <summary>The union of the selectors that select <paramref name="pod"/>; empty when none does (no spreading).</summary>
    public KeyValuePair<string, string>[] For(PodInfo pod)
    {
        lock (_lock)
        {
            if (!_byNamespace.TryGetValue(pod.Namespace, out var selectors))
            {
                return [];
            }

            Dictionary<string, string>? union = null;
            foreach (var selector in selectors.Values)
            {
                if (Matches(selector, pod.Labels, pod.Namespace, pod.Namespace))
                {
                    union ??= new(StringComparer.Ordinal);
                    foreach (var (key, value) in selector)
                    {
                        union[key] = value;
                    }
                }
            }

            return union is null ? [] : [.. union];
        }
    }

    /// <summary>Whether labels in <paramref name="ns"/> match every pair of <paramref name="selector"/> in <paramref name="selectorNamespace"/>.</summary>
    public static bool Matches(KeyValuePair<string, string>[] selector, Dictionary<string, string> labels, string ns, string selectorNamespace)
    {
        if (!string.Equals(ns, selectorNamespace, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
