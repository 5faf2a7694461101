using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Client.Tests;

/// <summary>Minimal valid objects for the client and informer tests.</summary>
internal static class Objects
{
    public static Pod Pod(string name, string ns = "default", Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
    };

    public static Node Node(string name) => new() { Metadata = new ObjectMeta { Name = name } };

    public static Namespace Namespace(string name) => new() { Metadata = new ObjectMeta { Name = name } };
}
