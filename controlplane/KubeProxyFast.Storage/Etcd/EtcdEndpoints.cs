namespace KubeProxyFast.Storage.Etcd;

/// <summary>The scheme and hosts of a <c>--etcd-servers</c> list.</summary>
internal static class EtcdEndpoints
{
    /// <summary>
    /// True when the endpoints are https, false when http; <paramref name="hosts"/> are their host
    /// names or addresses, in order. Endpoints without a scheme are http, as dotnet-etcd reads them.
    /// </summary>
    /// <exception cref="ArgumentException">Mixed schemes; TLS settings for http endpoints; an endpoint that is not a URL.</exception>
    public static bool Parse(string endpoints, bool tlsGiven, out IReadOnlyList<string> hosts)
    {
        List<string> names = [];
        bool? secure = null;
        foreach (var raw in endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var text = raw.Contains("://", StringComparison.Ordinal) ? raw : "http://" + raw;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"etcd server \"{raw}\" is not an http:// or https:// URL", nameof(endpoints));
            }

            var https = uri.Scheme == "https";
            if (secure is { } first && first != https)
            {
                throw new ArgumentException($"etcd servers \"{endpoints}\" mix http and https", nameof(endpoints));
            }

            secure = https;
            // Brackets off an IPv6 literal: certificates name the address itself.
            names.Add(uri.IdnHost.Trim('[', ']'));
        }

        if (secure is null)
        {
            throw new ArgumentException("no etcd server given", nameof(endpoints));
        }

        if (tlsGiven && secure == false)
        {
            throw new ArgumentException($"etcd TLS files are given but the etcd servers \"{endpoints}\" are http://", nameof(endpoints));
        }

        hosts = names;
        return secure.Value;
    }
}
