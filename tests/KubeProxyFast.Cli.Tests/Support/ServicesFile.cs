using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>A <c>kpf proxy --config</c> file: one Service on a loopback cluster IP and its Endpoints, one backend.</summary>
internal static class ServicesFile
{
    /// <summary>Writes the file for Service "web" at <paramref name="service"/> balanced to <paramref name="backend"/> into <paramref name="directory"/>.</summary>
    public static string Write(string directory, IPEndPoint service, IPEndPoint backend)
    {
        var path = Path.Combine(directory, "services.yaml");
        File.WriteAllText(path, ServiceManifests.Web(service, backend));
        return path;
    }
}
