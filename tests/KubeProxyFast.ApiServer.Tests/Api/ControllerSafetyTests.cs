using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>What controllers rely on the apiserver to answer: the cause of a refused create, an immutable uid.</summary>
public abstract class ControllerSafetyTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Fact]
    public async Task Create_InTerminatingNamespace_IsForbiddenWithTheNamespaceTerminatingCause()
    {
        await Created(Server, "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"closing"}}""");
        // A pod on a node goes gracefully, so the namespace stays Terminating while the test creates.
        await Created(Server, "/api/v1/namespaces/closing/pods", Pod("running", node: "node-1"));
        await Server.Http.DeleteAsync("/api/v1/namespaces/closing");

        var refused = await Server.PostJsonAsync("/api/v1/namespaces/closing/pods", Pod("late"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var cause = Assert.Single((await Read(refused)).GetProperty("details").GetProperty("causes").EnumerateArray());
        Assert.Equal("NamespaceTerminating", cause.GetProperty("reason").GetString());
        Assert.Equal("metadata.namespace", cause.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Patch_CarryingAnotherUid_IsInvalidAndChangesNothing()
    {
        var pod = await Created(Server, "/api/v1/namespaces/default/pods", Pod("p"));
        var uid = pod.GetProperty("metadata").GetProperty("uid").GetString();

        var refused = await Server.PatchAsync("/api/v1/namespaces/default/pods/p",
            """{"metadata":{"labels":{"x":"y"},"uid":"00000000-0000-0000-0000-000000000000"}}""", "application/strategic-merge-patch+json");
        var same = await Server.PatchAsync("/api/v1/namespaces/default/pods/p",
            $$"""{"metadata":{"labels":{"x":"z"},"uid":"{{uid}}"}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("Pod \"p\" is invalid: metadata.uid: Invalid value: \"00000000-0000-0000-0000-000000000000\": field is immutable", Message(await Read(refused)));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("z", (await Read(same)).GetProperty("metadata").GetProperty("labels").GetProperty("x").GetString());
    }
}

public sealed class ControllerSafetyOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ControllerSafetyTests(backend), IClassFixture<EmbeddedStoreBackend>;
