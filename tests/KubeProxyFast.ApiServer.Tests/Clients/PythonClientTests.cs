using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Clients;

/// <summary>The official Python client (Debian's python3-kubernetes) against the apiserver: Leases created, read, replaced, listed and watched.</summary>
public abstract class PythonClientTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Fact]
    public void Lease_CreateReadReplaceListWatch_AsTheClientSeesThem()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "Python", "lease_client.py");

        // Debian's interpreter, where python3-kubernetes is installed: a python3 earlier on PATH
        // (pyenv, a virtualenv) does not see Debian's packages.
        var result = ProcessResult.Run("/usr/bin/python3", [script, Server.KubeconfigPath]);

        Assert.True(result.ExitCode == 0, $"python3 exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        using var seen = JsonDocument.Parse(result.Stdout);
        var root = seen.RootElement;
        Assert.Equal("coordination.k8s.io/v1", root.GetProperty("created").GetProperty("apiVersion").GetString());
        Assert.Equal("2026-12-06T10:00:00.123456+00:00", root.GetProperty("renewTime").GetString());
        Assert.Equal("b", root.GetProperty("replaced").GetProperty("holder").GetString());
        Assert.Equal(1, root.GetProperty("replaced").GetProperty("transitions").GetInt32());
        Assert.Equal(409, root.GetProperty("stale").GetProperty("status").GetInt32());
        Assert.Equal("Conflict", root.GetProperty("stale").GetProperty("reason").GetString());
        Assert.Equal(["py-lock"], root.GetProperty("listed").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(
            ["ADDED a", "MODIFIED b", "DELETED b"],
            root.GetProperty("events").EnumerateArray().Select(e => e[0].GetString() + " " + e[1].GetString()));
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class PythonClientOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : PythonClientTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class PythonClientOnEtcdTests(EtcdStoreBackend backend) : PythonClientTests(backend), IClassFixture<EtcdStoreBackend>;
