using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Roles.ApiServer.Pki;

/// <summary>
/// The subject alternative names of the apiserver's serving certificate: every name and address a
/// client may reach it by, as kube-apiserver's and k3s's certificates carry them.
/// </summary>
/// <param name="DnsNames">Host names, in order, without repeats.</param>
/// <param name="IpAddresses">Addresses, in order, without repeats.</param>
internal sealed record ServingNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses)
{
    /// <summary>
    /// <c>--tls-san</c> values (addresses or names), the bind address when it is a specific one, the
    /// advertise address, the host's addresses, loopback, <c>localhost</c> and the host name, the first
    /// address of the service range (the <c>kubernetes</c> Service's cluster IP), and the Service's DNS
    /// names down to <c>kubernetes.default.svc.&lt;cluster domain&gt;</c>.
    /// </summary>
    public static ServingNames For(
        IEnumerable<string> tlsSans, IPAddress bindAddress, IPAddress? advertiseAddress, string serviceClusterIpRange, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(tlsSans);
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var san in tlsSans)
        {
            if (IPAddress.TryParse(san, out var address))
            {
                ips.Add(address);
            }
            else
            {
                dns.Add(san.ToLowerInvariant());
            }
        }

        if (!bindAddress.Equals(IPAddress.Any) && !bindAddress.Equals(IPAddress.IPv6Any))
        {
            ips.Add(bindAddress);
        }

        if (advertiseAddress is not null)
        {
            ips.Add(advertiseAddress);
        }

        ips.AddRange(HostAddresses());
        ips.Add(IPAddress.Loopback);
        ips.Add(IPAddress.IPv6Loopback);
        ips.Add(FirstServiceAddress(serviceClusterIpRange));
        dns.Add("localhost");
        dns.Add(Dns.GetHostName().ToLowerInvariant());
        dns.AddRange(["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + clusterDomain]);
        return new ServingNames(
            [.. dns.Distinct(StringComparer.Ordinal)],
            [.. ips.Select(Plain).Distinct()]);
    }

    /// <summary>True when <paramref name="certificate"/> names exactly these (in any order): otherwise it is issued again.</summary>
    public bool SameAs(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var (dns, ips) = CertificateNames.AlternativeNames(certificate.Extensions.Cast<X509Extension>());
        return dns.ToHashSet(StringComparer.Ordinal).SetEquals(DnsNames) && ips.Select(Plain).ToHashSet().SetEquals(IpAddresses);
    }

    /// <summary>The service range's first address, which the <c>kubernetes</c> Service takes (the range is IPv4, as the apiserver allocates it).</summary>
    private static IPAddress FirstServiceAddress(string range)
    {
        var network = IPNetwork.Parse(range).BaseAddress.GetAddressBytes();
        var first = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(first, BinaryPrimitives.ReadUInt32BigEndian(network) + 1);
        return new IPAddress(first);
    }

    /// <summary>The addresses of the host's interfaces that are up (IPv6 link-local ones left out: a certificate cannot name their zone).</summary>
    private static IEnumerable<IPAddress> HostAddresses()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetwork || (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal))
                {
                    yield return address;
                }
            }
        }
    }

    /// <summary>The address without a scope id or IPv4 mapping, as a certificate holds it.</summary>
    private static IPAddress Plain(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : new IPAddress(address.GetAddressBytes());
}
