using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Node;

/// <summary>Requests of the node-isolation tests: an admin that sets the scene and kubelets that act in it, over the secured server's HTTPS.</summary>
internal sealed class NodeRequests
{
    /// <summary>How long the node graph may take to see a change (it follows the pods' watch); generous for a loaded machine.</summary>
    private static readonly TimeSpan GraphDelay = TimeSpan.FromSeconds(30);

    private readonly SecuredApiServer _server;

    public NodeRequests(SecuredApiServer server)
    {
        _server = server;
        Admin = server.HttpAs("admin", "system:masters");
    }

    public HttpClient Admin { get; }

    /// <summary>The kubelet of <paramref name="node"/>, as its client certificate names it.</summary>
    public HttpClient Kubelet(string node) => _server.HttpAs("system:node:" + node, "system:nodes");

    /// <summary>Creates <paramref name="json"/> at <paramref name="path"/> as the admin; fails the test unless it is created.</summary>
    public async Task CreateAsync(string path, string json)
    {
        using var response = await Admin.PostAsync(path, Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Sends until the answer is <paramref name="expected"/> (the graph follows pods asynchronously)
    /// and returns the last answer's status and body; the test then asserts on them.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Body)> EventuallyAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + GraphDelay;
        while (true)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(100);
        }
    }

    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent MergePatch(string json) => new(json, Encoding.UTF8, "application/merge-patch+json");

    /// <summary>A Status body's message.</summary>
    public static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;

    public static string NodeJson(string name, params (string Key, string Value)[] labels)
    {
        var map = new JsonObject();
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = map },
        }.ToJsonString();
    }

    /// <summary>A pod bound to <paramref name="node"/> that mounts <paramref name="secret"/> and reads <paramref name="configMap"/> into its env.</summary>
    public static string PodWith(string name, string node, string? secret = null, string? configMap = null)
    {
        var container = new JsonObject { ["name"] = "c", ["image"] = "busybox" };
        var spec = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(container) };
        if (secret is not null)
        {
            spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "s", ["secret"] = new JsonObject { ["secretName"] = secret } });
        }

        if (configMap is not null)
        {
            container["env"] = new JsonArray(new JsonObject
            {
                ["name"] = "SETTING",
                ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = configMap, ["key"] = "k" } },
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        }.ToJsonString();
    }

    public static string Secret(string name) =>
        """{"apiVersion":"v1","kind":"Secret","metadata":{"name":""" + Quoted(name) + """},"data":{"k":"dg=="}}""";

    public static string ConfigMap(string name) =>
        """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":""" + Quoted(name) + """},"data":{"k":"v"}}""";

    public static string Lease(string name) =>
        """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":""" + Quoted(name)
        + """},"spec":{"holderIdentity":""" + Quoted(name) + ""","leaseDurationSeconds":40}}""";

    private static string Quoted(string value) => JsonSerializer.Serialize(value);
}
