using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests;

/// <summary>
/// One apiserver on a fresh in-memory store shared by every test of a class (an xunit class
/// fixture): the compatibility suites drive slow clients (kubectl, python3), so a server per
/// test would cost more than the commands. Each test works in a namespace of its own
/// (<see cref="NewNamespaceAsync"/>), so the tests of a class stay independent.
/// </summary>
public sealed class ClassApiServer : IAsyncLifetime
{
    private TestApiServer? _server;
    private int _namespaces;

    /// <summary>The class's apiserver.</summary>
    public TestApiServer Server => _server ?? throw new InvalidOperationException("the apiserver has not started");

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Creates a namespace named <paramref name="prefix"/>-N, unique in this server, and returns its name.</summary>
    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = prefix + "-" + Interlocked.Increment(ref _namespaces);
        using var response = await Server.PostJsonAsync("/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"creating namespace {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return name;
    }
}
