using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

/// <summary>
/// A v1 Pod manifest for the end-to-end tests: bound to a node by <c>spec.nodeName</c> (the
/// scheduler is not what these tests test), busybox containers running <c>sh -c SCRIPT</c>, and an
/// <c>/out</c> hostPath volume in the node's <see cref="KubeletNode.HostPathDirectory"/>/&lt;pod&gt; through which
/// containers hand results to the test (there is no <c>kubectl logs</c>/<c>exec</c> yet).
/// </summary>
internal sealed class PodBuilder
{
    private readonly JsonObject _pod;
    private readonly JsonArray _containers = [];
    private readonly JsonArray _volumes = [];
    private readonly List<(string Name, string Path)> _sharedMounts = [];

    public PodBuilder(KubeletNode node, string name, string ns = "default")
    {
        Name = name;
        Namespace = ns;
        OutDirectory = Path.Combine(node.HostPathDirectory, ns, name);
        _pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject() },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node.Name,
                ["containers"] = _containers,
                ["volumes"] = _volumes,
            },
        };
        HostPath("out", OutDirectory, "/out");
    }

    public string Name { get; }

    public string Namespace { get; }

    /// <summary>Where /out of every container is on the node (the test's file system).</summary>
    public string OutDirectory { get; }

    /// <summary>The collection path the pod is created in.</summary>
    public string CollectionPath => $"/api/v1/namespaces/{Namespace}/pods";

    /// <summary>The pod's path.</summary>
    public string PodPath => $"{CollectionPath}/{Name}";

    private JsonObject SpecObject => _pod["spec"]!.AsObject();

    public PodBuilder Unbound()
    {
        SpecObject.Remove("nodeName");
        return this;
    }

    /// <summary>Changes the pod's spec directly (dnsPolicy, dnsConfig, …).</summary>
    public PodBuilder Spec(Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        change(_pod["spec"]!.AsObject());
        return this;
    }

    public PodBuilder Label(string key, string value)
    {
        _pod["metadata"]!["labels"]![key] = value;
        return this;
    }

    public PodBuilder RestartPolicy(string policy)
    {
        SpecObject["restartPolicy"] = policy;
        return this;
    }

    public PodBuilder TerminationGracePeriod(int seconds)
    {
        SpecObject["terminationGracePeriodSeconds"] = seconds;
        return this;
    }

    public PodBuilder EnableServiceLinks(bool enabled)
    {
        SpecObject["enableServiceLinks"] = enabled;
        return this;
    }

    /// <summary>A hostPath volume (DirectoryOrCreate) mounted at <paramref name="mountPath"/> in every container.</summary>
    public PodBuilder HostPath(string name, string path, string mountPath)
    {
        Directory.CreateDirectory(path);
        _volumes.Add(new JsonObject { ["name"] = name, ["hostPath"] = new JsonObject { ["path"] = path, ["type"] = "DirectoryOrCreate" } });
        _sharedMounts.Add((name, mountPath));
        return this;
    }

    /// <summary>An emptyDir volume mounted at <paramref name="mountPath"/> in every container.</summary>
    public PodBuilder EmptyDir(string name, string mountPath, string? medium = null)
    {
        _volumes.Add(new JsonObject { ["name"] = name, ["emptyDir"] = medium is null ? new JsonObject() : new JsonObject { ["medium"] = medium } });
        _sharedMounts.Add((name, mountPath));
        return this;
    }

    /// <summary>A container running <c>sh -c <paramref name="script"/></c>; <paramref name="configure"/> adds probes, ports, env….</summary>
    public PodBuilder Container(string name, string script, Action<JsonObject>? configure = null, string image = E2eImages.Offline, string pullPolicy = "Never")
    {
        var container = new JsonObject
        {
            ["name"] = name,
            ["image"] = image,
            ["imagePullPolicy"] = pullPolicy,
            ["command"] = new JsonArray("sh", "-c", script),
        };
        configure?.Invoke(container);
        _containers.Add(container);
        return this;
    }

    public string ToJson()
    {
        foreach (var container in _containers)
        {
            var mounts = container!["volumeMounts"] as JsonArray ?? [];
            foreach (var (name, path) in _sharedMounts)
            {
                mounts.Add(new JsonObject { ["name"] = name, ["mountPath"] = path });
            }

            container["volumeMounts"] = mounts;
        }

        return _pod.ToJsonString();
    }

    /// <summary>An exec probe running <c>sh -c <paramref name="script"/></c>, every second, failing after <paramref name="failureThreshold"/>.</summary>
    public static JsonObject ExecProbe(string script, int failureThreshold = 1) => new()
    {
        ["exec"] = new JsonObject { ["command"] = new JsonArray("sh", "-c", script) },
        ["periodSeconds"] = 1,
        ["failureThreshold"] = failureThreshold,
        ["successThreshold"] = 1,
    };
}
