using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>The DNS configuration of a pod's sandbox, with the warnings Kubernetes records as events.</summary>
/// <param name="Config">What the runtime writes into the pod's resolv.conf.</param>
/// <param name="Warnings">Limits exceeded, cluster DNS missing: Kubernetes' event messages.</param>
public sealed record PodDnsResult(DNSConfig Config, IReadOnlyList<string> Warnings);

/// <summary>
/// The sandbox's <c>DNSConfig</c> per <c>dnsPolicy</c>, as the kubelet's DNS configurer gives it:
/// ClusterFirst → the cluster DNS servers, searches <c>&lt;ns&gt;.svc.&lt;domain&gt; svc.&lt;domain&gt;
/// &lt;domain&gt;</c> then the node's, <c>options ndots:5</c>; ClusterFirst with hostNetwork, and
/// Default → the node's resolv.conf; None → nothing but the pod's <c>dnsConfig</c>, which every
/// policy merges in (duplicates dropped, its options overriding). Then Kubernetes' limits: 3
/// nameservers, 32 search domains, none longer than 253, 2048 characters in all.
/// </summary>
/// <param name="clusterDns">The <c>--cluster-dns</c> servers; empty makes ClusterFirst fall back to Default with a warning.</param>
/// <param name="clusterDomain">The <c>--cluster-domain</c>.</param>
/// <param name="resolvConf">The node's resolv.conf (<c>--resolv-conf</c>); empty for none (then 127.0.0.1 and search "." for Default).</param>
public sealed class PodDns(IReadOnlyList<string> clusterDns, string clusterDomain, string resolvConf)
{
    /// <summary>Kubernetes' <c>MaxDNSNameservers</c>.</summary>
    public const int MaxNameservers = 3;

    /// <summary>Kubernetes' <c>MaxDNSSearchPaths</c>.</summary>
    public const int MaxSearchPaths = 32;

    /// <summary>Kubernetes' <c>MaxDNSSearchListChars</c>.</summary>
    public const int MaxSearchListChars = 2048;

    // Kubernetes drops longer search domains: glibc 2.28 aborts on a search path over 255 characters.
    private const int MaxSearchLength = 253;

    /// <summary>The configuration for <paramref name="pod"/>'s sandbox.</summary>
    public PodDnsResult For(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var warnings = new List<string>();
        var host = string.IsNullOrEmpty(resolvConf) ? new ResolvConf([], [], []) : ReadHost(warnings);
        var servers = host.Nameservers.ToList();
        var searches = host.Searches.ToList();
        var options = host.Options.ToList();
        var policy = pod.Spec?.DnsPolicy ?? DnsPolicies.ClusterFirst;
        var hostNetwork = pod.Spec?.HostNetwork == true;

        var cluster = policy == DnsPolicies.ClusterFirstWithHostNet || (policy == DnsPolicies.ClusterFirst && !hostNetwork);
        if (policy == DnsPolicies.None)
        {
            servers.Clear();
            searches.Clear();
            options.Clear();
        }
        else if (cluster && clusterDns.Count > 0)
        {
            servers = [.. clusterDns];
            searches = ClusterSearches(pod.Metadata.Namespace ?? "", searches);
            options = ["ndots:5"];
        }
        else
        {
            if (cluster)
            {
                warnings.Add($"kubelet does not have ClusterDNS IP configured and cannot create Pod using \"{DnsPolicies.ClusterFirst}\" policy. Falling back to \"{DnsPolicies.Default}\" policy.");
            }

            if (string.IsNullOrEmpty(resolvConf))
            {
                // No resolv.conf: the local resolver, and no search.
                servers = ["127.0.0.1"];
                searches = ["."];
            }
        }

        if (pod.Spec?.DnsConfig is { } extra)
        {
            servers = Distinct(servers.Concat(extra.Nameservers ?? []));
            searches = Distinct(searches.Concat(extra.Searches ?? []));
            options = MergeOptions(options, extra.Options ?? []);
        }

        if (servers.Count > MaxNameservers)
        {
            servers = servers.Take(MaxNameservers).ToList();
            warnings.Add("Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: " + string.Join(' ', servers));
        }

        searches = FitSearches(searches, warnings);
        var config = new DNSConfig();
        config.Servers.AddRange(servers);
        config.Searches.AddRange(searches);
        config.Options.AddRange(options);
        return new PodDnsResult(config, warnings);
    }

    private ResolvConf ReadHost(List<string> warnings)
    {
        try
        {
            return ResolvConf.Parse(File.ReadAllText(resolvConf));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"Could not open resolv conf file {resolvConf}: {e.Message}");
            return new ResolvConf([], [], []);
        }
    }

    private List<string> ClusterSearches(string podNamespace, List<string> hostSearches)
    {
        if (string.IsNullOrEmpty(clusterDomain))
        {
            return hostSearches;
        }

        return Distinct(new[] { $"{podNamespace}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain }.Concat(hostSearches));
    }

    /// <summary>Kubernetes' <c>formDNSSearchFitsLimits</c>: 32 domains, none over 253 characters, then domains cut from the end until the line fits 2048.</summary>
    private static List<string> FitSearches(List<string> searches, List<string> warnings)
    {
        var exceeded = false;
        if (searches.Count > MaxSearchPaths)
        {
            searches = searches.Take(MaxSearchPaths).ToList();
            exceeded = true;
        }

        if (searches.RemoveAll(s => s.Length > MaxSearchLength) > 0)
        {
            exceeded = true;
        }

        var length = string.Join(' ', searches).Length;
        while (length > MaxSearchListChars && searches.Count > 0)
        {
            length -= searches[^1].Length + 1;
            searches.RemoveAt(searches.Count - 1);
            exceeded = true;
        }

        if (exceeded)
        {
            warnings.Add("Search Line limits were exceeded, some search paths have been omitted, the applied search line is: " + string.Join(' ', searches));
        }

        return searches;
    }

    /// <summary>Kubernetes' <c>mergeDNSOptions</c>: the pod's options replace the node's of the same name; <c>name:value</c> or a bare name.</summary>
    private static List<string> MergeOptions(List<string> existing, List<PodDnsConfigOption> extra)
    {
        var merged = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in existing)
        {
            var colon = option.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                merged[option[..colon]] = option[(colon + 1)..];
            }
            else
            {
                merged[option] = "";
            }
        }

        foreach (var option in extra)
        {
            merged[option.Name ?? ""] = option.Value ?? "";
        }

        return merged.Select(p => p.Value.Length > 0 ? p.Key + ":" + p.Value : p.Key).ToList();
    }

    private static List<string> Distinct(IEnumerable<string> values) => values.Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>A parsed resolv.conf: nameservers, the last search line, options (later ones replacing earlier of the same name).</summary>
/// <param name="Nameservers">The <c>nameserver</c> lines' addresses.</param>
/// <param name="Searches">The last <c>search</c> line's domains, trailing dots removed, "." dropped.</param>
/// <param name="Options">The <c>options</c> lines' options.</param>
public sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    /// <summary>Parses resolv.conf text as Kubernetes' <c>parseResolvConf</c> does (comments after '#' or ';').</summary>
    public static ResolvConf Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nameservers = new List<string>();
        var searches = new List<string>();
        var options = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var comment = line.IndexOfAny(['#', ';']);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    nameservers.Add(fields[1]);
                    break;
                case "search":
                    // The same domain with and without its trailing dot counts once.
                    searches = fields.Skip(1).Where(s => s != ".").Select(s => s.EndsWith('.') ? s[..^1] : s).ToList();
                    break;
                case "options":
                    foreach (var option in fields.Skip(1))
                    {
                        var name = option.Split(':')[0];
                        options.RemoveAll(o => o.Split(':')[0] == name);
                        options.Add(option);
                    }

                    break;
            }
        }

        return new ResolvConf(nameservers, searches, options);
    }
}
