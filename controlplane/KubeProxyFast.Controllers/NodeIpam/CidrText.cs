using System.Net;

namespace KubeProxyFast.Controllers.NodeIpam;

/// <summary>The CIDR flags of node IPAM read as kube-controller-manager reads them, with errors that name the flag.</summary>
internal static class CidrText
{
    public static IPNetwork ParseClusterCidr(string value)
    {
        var cidrs = Split(value);
        if (cidrs.Length == 0)
        {
            throw new ArgumentException("--cluster-cidr is empty: node CIDRs cannot be allocated without a cluster CIDR");
        }

        if (cidrs.Length > 1)
        {
            throw new ArgumentException($"invalid --cluster-cidr \"{value}\": only one (IPv4) cluster CIDR is supported");
        }

        return ParseCidr(cidrs[0], "--cluster-cidr");
    }

    public static IEnumerable<IPNetwork> ParseServiceCidrs(string? value) =>
        Split(value).Select(cidr => ParseCidr(cidr, "--service-cluster-ip-range"));

    public static IPNetwork ParseCidr(string value, string flag)
    {
        // Kubernetes' ParseCIDR accepts host bits (10.42.0.1/16 is 10.42.0.0/16): so do we.
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IPAddress.TryParse(value.AsSpan(0, slash), out var address)
            && int.TryParse(value.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            && prefix <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            return new IPNetwork(Mask(address, prefix), prefix);
        }

        throw new ArgumentException($"invalid {flag} \"{value}\": not a CIDR (e.g. 10.42.0.0/16)");
    }

    public static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    public static string[] Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
