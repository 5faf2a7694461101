using System.Net;

namespace KubeProxyFast.Pki;

/// <summary>
/// A leaf certificate to issue: the subject (CN, and O values, which Kubernetes reads as the
/// user's groups), the subject alternative names of a serving certificate, its usage and lifetime.
/// </summary>
public sealed record LeafSpec
{
    /// <summary>The subject's CN: the user name of a client certificate.</summary>
    public required string CommonName { get; init; }

    /// <summary>The subject's O values: the groups of a client certificate.</summary>
    public IReadOnlyList<string> Organizations { get; init; } = [];

    /// <summary>DNS names of a serving certificate.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>IP addresses of a serving certificate.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    /// <summary>Server, client, or both.</summary>
    public CertificateUsage Usage { get; init; } = CertificateUsage.Client;

    /// <summary>How long it is valid from issue (Kubernetes and k3s: a year).</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromDays(365);
}
