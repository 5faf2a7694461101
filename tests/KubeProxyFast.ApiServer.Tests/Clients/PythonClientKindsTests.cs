using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Clients;

/// <summary>
/// Every served kind through the official Python client (Debian's python3-kubernetes 22.6, run by
/// Clients/Python/kinds_client.py): create, read, list by label, patch of each type, replace (and
/// a stale one), delete, delete_collection with selectors, and a watch with <c>watch=True</c> that
/// replays it all — plus the exact Status body the client's own end-to-end tests compare.
/// </summary>
public sealed class PythonClientKindsTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>
{
    private static readonly string[] Kinds = ["Pod", "ReplicationController", "Service", "Endpoints", "Event", "Lease", "ConfigMap", "Secret", "Node", "Namespace"];

    [Fact]
    public async Task EveryKind_CreateReadListPatchReplaceDeleteWatch_AsTheClientSeesThem()
    {
        var ns = await fixture.NewNamespaceAsync("py");
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "Python", "kinds_client.py");

        // Debian's interpreter, where python3-kubernetes is installed (not a pyenv python3 on PATH).
        var result = ProcessResult.Run("/usr/bin/python3", [script, fixture.Server.KubeconfigPath, ns, .. Kinds]);

        Assert.True(result.ExitCode == 0, $"python3 exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        using var seen = JsonDocument.Parse(result.Stdout);
        foreach (var kind in Kinds)
        {
            var k = seen.RootElement.GetProperty(kind);
            var name = k.GetProperty("created").GetProperty("name").GetString()!;
            var resource = ResourceOf(kind);
            Assert.Equal(kind, k.GetProperty("created").GetProperty("kind").GetString());
            Assert.Equal(kind == "Lease" ? "coordination.k8s.io/v1" : "v1", k.GetProperty("created").GetProperty("apiVersion").GetString());
            Assert.True(k.GetProperty("created").GetProperty("uid").GetBoolean(), kind);
            Assert.Equal(409, k.GetProperty("duplicate").GetProperty("status").GetInt32());
            Assert.Equal("application/json", k.GetProperty("duplicate").GetProperty("contentType").GetString());
            // Byte for byte what kube-apiserver writes, which the client's own tests compare.
            var details = kind == "Lease"
                ? $$"""{"name":"{{name}}","group":"coordination.k8s.io","kind":"leases"}"""
                : $$"""{"name":"{{name}}","kind":"{{resource}}"}""";
            Assert.Equal(
                $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{resource}}{{(kind == "Lease" ? ".coordination.k8s.io" : "")}} \"{{name}}\" already exists","reason":"AlreadyExists","details":{{details}},"code":409}""" + "\n",
                k.GetProperty("duplicate").GetProperty("body").GetString());
            Assert.Equal(name, k.GetProperty("read").GetString());
            Assert.Equal([name], k.GetProperty("listed").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal("""{"app":"py","json":"1","merge":"1","strategic":"1"}""", k.GetProperty("patched").GetRawText().Replace(" ", "", StringComparison.Ordinal));
            Assert.Equal("1", k.GetProperty("replaced").GetString());
            Assert.Equal(409, k.GetProperty("stale").GetProperty("status").GetInt32());
            Assert.Equal("Conflict", k.GetProperty("stale").GetProperty("reason").GetString());
            if (kind is not ("Namespace" or "Service"))
            {
                // delete_collection with a label and a field selector took all but the one the field selector kept.
                Assert.Equal([name + "-2"], k.GetProperty("collection").EnumerateArray().Select(e => e.GetString()!));
            }

            var events = k.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray();
            if (kind == "Namespace")
            {
                // Deleting a namespace marks it Terminating (one more MODIFIED); it goes once emptied,
                // so the read just after the delete finds it Terminating or already gone.
                var gone = k.GetProperty("gone");
                Assert.True(gone.ValueKind == JsonValueKind.Null || gone.GetProperty("status").GetInt32() == 404, gone.GetRawText());
                Assert.Equal(["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"], events);
            }
            else
            {
                Assert.Equal(404, k.GetProperty("gone").GetProperty("status").GetInt32());
                Assert.Equal($"{resource}{(kind == "Lease" ? ".coordination.k8s.io" : "")} \"{name}\" not found", k.GetProperty("gone").GetProperty("message").GetString());
                Assert.Equal(["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"], events);
            }
        }
    }

    private static string ResourceOf(string kind) => kind switch
    {
        "Endpoints" => "endpoints",
        "ReplicationController" => "replicationcontrollers",
        "ConfigMap" => "configmaps",
        _ => kind.ToLowerInvariant() + "s",
    };
}
