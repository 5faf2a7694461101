using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Small helpers to build objects and read responses in the API tests.</summary>
internal static class ApiJson
{
    public static string Pod(string name, string app = "web", string? node = null)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = app } },
            ["spec"] = spec,
        }.ToJsonString();
    }

    public static string Service(string name, string? clusterIp = null, string type = "ClusterIP", int? nodePort = null)
    {
        var port = new JsonObject { ["port"] = 80 };
        if (nodePort is not null)
        {
            port["nodePort"] = nodePort;
        }

        var spec = new JsonObject { ["type"] = type, ["selector"] = new JsonObject { ["app"] = name }, ["ports"] = new JsonArray(port) };
        if (clusterIp is not null)
        {
            spec["clusterIP"] = clusterIp;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        }.ToJsonString();
    }

    public static string Lease(string name, string? holder = "a", int? durationSeconds = 15)
    {
        var spec = new JsonObject();
        if (holder is not null)
        {
            spec["holderIdentity"] = holder;
        }

        if (durationSeconds is not null)
        {
            spec["leaseDurationSeconds"] = durationSeconds;
        }

        return new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        }.ToJsonString();
    }

    public static async Task<JsonElement> Read(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> Created(TestApiServer server, string path, string json)
    {
        var response = await server.PostJsonAsync(path, json);
        var body = await Read(response);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    public static string RV(JsonElement obj) => obj.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;

    public static string Message(JsonElement status) => status.GetProperty("message").GetString()!;

    public static string[] Names(JsonElement list)
    {
        var names = new List<string>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            names.Add(item.GetProperty("metadata").GetProperty("name").GetString()!);
        }

        return [.. names];
    }
}
