using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

/// <summary>
/// Runs a CNI network list the way containerd's libcni does, with the real plugins: each plugin
/// exec'd in the node's namespace (<c>ip netns exec</c>) with <c>CNI_COMMAND</c>, the pod's
/// namespace in <c>CNI_NETNS</c>, its config on stdin (the list's <c>cniVersion</c> and
/// <c>name</c>, the previous plugin's result as <c>prevResult</c>, and <c>runtimeConfig</c> for the
/// capabilities it declares); DEL in reverse order with the ADD result.
/// </summary>
internal sealed class CniPluginChain(string conflist, NetworkNamespace node, string binDirectory = "/usr/lib/cni")
{
    private readonly JsonObject _list = JsonNode.Parse(conflist)!.AsObject();

    /// <summary>ADD of every plugin in order; returns the last result.</summary>
    public JsonObject Add(NetworkNamespace pod, string containerId, JsonObject? runtimeConfig = null)
    {
        JsonObject? result = null;
        foreach (var plugin in Plugins())
        {
            result = Run("ADD", plugin, pod, containerId, result, runtimeConfig);
        }

        return result!;
    }

    /// <summary>DEL of every plugin in reverse order, each given <paramref name="addResult"/>.</summary>
    public void Delete(NetworkNamespace pod, string containerId, JsonObject addResult, JsonObject? runtimeConfig = null)
    {
        foreach (var plugin in Plugins().Reverse())
        {
            Run("DEL", plugin, pod, containerId, addResult, runtimeConfig);
        }
    }

    private IEnumerable<JsonObject> Plugins() => _list["plugins"]!.AsArray().Select(p => p!.AsObject());

    private JsonObject Run(string command, JsonObject plugin, NetworkNamespace pod, string containerId, JsonObject? previous, JsonObject? runtimeConfig)
    {
        var conf = plugin.DeepClone().AsObject();
        conf["cniVersion"] = _list["cniVersion"]!.DeepClone();
        conf["name"] = _list["name"]!.DeepClone();
        if (previous is not null)
        {
            conf["prevResult"] = previous.DeepClone();
        }

        if (runtimeConfig is not null && conf["capabilities"] is JsonObject capabilities)
        {
            var given = new JsonObject();
            foreach (var (key, value) in runtimeConfig)
            {
                if (capabilities[key]?.GetValue<bool>() == true)
                {
                    given[key] = value!.DeepClone();
                }
            }

            conf["runtimeConfig"] = given;
        }

        var type = conf["type"]!.GetValue<string>();
        var r = ProcessResult.Run("ip", ["netns", "exec", node.Name, Path.Combine(binDirectory, type)], conf.ToJsonString(), new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = pod.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = binDirectory,
        });
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"CNI {command} {type}: exit {r.ExitCode}: {r.Stdout} {r.Stderr}");
        }

        return command == "ADD" ? JsonNode.Parse(r.Stdout)!.AsObject() : new JsonObject();
    }
}
