using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>One secured apiserver shared by the tests of a class (kubectl runs are slow; the reviews store nothing, so tests cannot disturb each other).</summary>
public sealed class SecuredServerFixture : IAsyncLifetime
{
    private SecuredApiServer? _server;

    /// <summary>The class's server.</summary>
    public SecuredApiServer Server => _server ?? throw new InvalidOperationException("the apiserver has not started");

    public async Task InitializeAsync() => _server = await SecuredApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/> and returns the status code and the parsed answer.</summary>
    public static async Task<(HttpStatusCode Code, JsonNode Body)> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text) ?? throw new InvalidOperationException("an empty answer"));
    }
}
