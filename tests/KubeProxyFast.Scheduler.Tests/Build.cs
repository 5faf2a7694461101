using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler.Tests;

/// <summary>Nodes and pods as a kubelet and a user would write them, for the unit and end-to-end tests.</summary>
internal static class Build
{
    /// <summary>A Ready node with this allocatable CPU, memory and pod count.</summary>
    public static Node Node(string name, string cpu = "4", string memory = "8Gi", int pods = 110, Dictionary<string, string>? labels = null, List<Taint>? taints = null, bool ready = true, bool unschedulable = false)
    {
        var allocatable = new Dictionary<string, Quantity>
        {
            ["cpu"] = Quantity.Parse(cpu),
            ["memory"] = Quantity.Parse(memory),
            ["ephemeral-storage"] = Quantity.Parse("100Gi"),
            ["pods"] = Quantity.Parse(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        return new Node
        {
            Metadata = new() { Name = name, Labels = labels ?? new() { ["kubernetes.io/hostname"] = name } },
            Spec = new NodeSpec { Taints = taints, Unschedulable = unschedulable ? true : null },
            Status = new NodeStatus
            {
                Capacity = new(allocatable),
                Allocatable = allocatable,
                Conditions = [new NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            },
        };
    }

    /// <summary>A pod of one container with these requests (none when null).</summary>
    public static Pod Pod(string name, string? cpu = null, string? memory = null, Dictionary<string, string>? labels = null, int? hostPort = null, string ns = "default")
    {
        var requests = new Dictionary<string, Quantity>();
        if (cpu is not null)
        {
            requests["cpu"] = Quantity.Parse(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = Quantity.Parse(memory);
        }

        return new Pod
        {
            Metadata = new() { Name = name, Namespace = ns, Labels = labels },
            Spec = new PodSpec
            {
                Containers =
                [
                    new Container
                    {
                        Name = "c",
                        Image = "busybox",
                        Resources = requests.Count == 0 ? null : new ResourceRequirements { Requests = requests },
                        Ports = hostPort is { } port ? [new ContainerPort { Number = 80, HostPort = port }] : null,
                    },
                ],
            },
        };
    }

    /// <summary>The cache's view of <paramref name="node"/>, with <paramref name="pods"/> on it.</summary>
    public static NodeInfo Info(Node node, params Pod[] pods)
    {
        var info = new NodeInfo(node.Metadata.Name!);
        info.SetNode(node);
        foreach (var pod in pods)
        {
            info.AddPod(PodInfo.From(pod));
        }

        return info;
    }
}
