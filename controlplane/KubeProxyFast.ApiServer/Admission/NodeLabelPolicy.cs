namespace KubeProxyFast.ApiServer.Admission;

/// <summary>
/// Which Node labels a kubelet may set, as Kubernetes' NodeRestriction and the kubelet's
/// <c>IsKubeletLabel</c>: never a label under <c>node-restriction.kubernetes.io/</c> (kept for
/// administrators to place workloads by), and no other <c>kubernetes.io</c> or <c>k8s.io</c> label
/// (such as <c>node-role.kubernetes.io/master</c>) but the well-known ones kubelets report and
/// those under <c>kubelet.kubernetes.io</c> and <c>node.kubernetes.io</c>. Labels outside those
/// namespaces are the kubelet's own (<c>--node-labels</c>).
/// </summary>
internal static class NodeLabelPolicy
{
    /// <summary>The namespace reserved to administrators.</summary>
    public const string NodeRestrictionNamespace = "node-restriction.kubernetes.io";

    private static readonly HashSet<string> KubeletLabels = new(StringComparer.Ordinal)
    {
        "kubernetes.io/hostname",
        "kubernetes.io/os",
        "kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/instance-type",
        "kubernetes.io/instance-type",
        "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
        "failure-domain.kubernetes.io/zone",
        "failure-domain.kubernetes.io/region",
        "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
    };

    private static readonly string[] KubeletLabelNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

    /// <summary>
    /// The labels added, changed or removed between <paramref name="previous"/> and
    /// <paramref name="labels"/> that a kubelet may not touch, sorted and comma-separated as
    /// Kubernetes lists them; empty when there are none.
    /// </summary>
    public static string Forbidden(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? previous)
    {
        SortedSet<string>? forbidden = null;
        Check(labels, previous, ref forbidden);
        Check(previous, labels, ref forbidden);
        return forbidden is null ? "" : string.Join(", ", forbidden);
    }

    /// <summary>True when both label sets hold the same keys and values.</summary>
    public static bool SameLabels(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        foreach (var (key, value) in a ?? new Dictionary<string, string>())
        {
            if (b is null || !b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a kubelet may not set, change or remove <paramref name="key"/>.</summary>
    public static bool IsForbidden(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var ns = key[..slash];
        if (InNamespace(ns, NodeRestrictionNamespace))
        {
            return true;
        }

        return (InNamespace(ns, "kubernetes.io") || InNamespace(ns, "k8s.io")) && !IsKubeletLabel(key, ns);
    }

    private static bool IsKubeletLabel(string key, string ns)
    {
        if (KubeletLabels.Contains(key))
        {
            return true;
        }

        foreach (var allowed in KubeletLabelNamespaces)
        {
            if (InNamespace(ns, allowed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="ns"/> is <paramref name="domain"/> or one of its subdomains.</summary>
    private static bool InNamespace(string ns, string domain) =>
        ns == domain || (ns.Length > domain.Length && ns.EndsWith(domain, StringComparison.Ordinal) && ns[^(domain.Length + 1)] == '.');

    /// <summary>Adds the forbidden keys of <paramref name="labels"/> whose value <paramref name="other"/> lacks or holds differently.</summary>
    private static void Check(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? other, ref SortedSet<string>? forbidden)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if ((other is null || !other.TryGetValue(key, out var was) || was != value) && IsForbidden(key))
            {
                (forbidden ??= new SortedSet<string>(StringComparer.Ordinal)).Add(key);
            }
        }
    }
}
