using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// Query parameters read as kube-apiserver reads them (apimachinery's url.Values conversions):
/// integers as Go's strconv.ParseInt, with a 400 that names the parameter; DeleteOptions from the
/// query when there is no body. (The boolean forms are in <see cref="WatchTests"/>.)
/// </summary>
public abstract class QueryParameterTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Theory]
    [InlineData("/api/v1/namespaces/default/pods?limit=abc", "query parameter limit: strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("/api/v1/namespaces/default/pods?limit=", "query parameter limit: strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("/api/v1/namespaces/default/pods?limit=1.5", "query parameter limit: strconv.ParseInt: parsing \"1.5\": invalid syntax")]
    [InlineData("/api/v1/namespaces/default/pods?limit=99999999999999999999", "query parameter limit: strconv.ParseInt: parsing \"99999999999999999999\": value out of range")]
    [InlineData("/api/v1/namespaces/default/pods?limit=%07%08%0C%0B%01", "query parameter limit: strconv.ParseInt: parsing \"\\a\\b\\f\\v\\x01\": invalid syntax")]
    [InlineData("/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=x", "query parameter timeoutSeconds: strconv.ParseInt: parsing \"x\": invalid syntax")]
    public async Task Get_IntegerParameterNotAnInteger_IsBadRequestNamingIt(string path, string message)
    {
        var response = await Server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await Read(response);
        Assert.Equal(("BadRequest", message), (status.GetProperty("reason").GetString(), Message(status)));
    }

    [Fact]
    public async Task Delete_GracePeriodNotAnInteger_IsBadRequestNamingIt()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1"));

        var response = await Server.Http.DeleteAsync("/api/v1/namespaces/default/pods/p1?gracePeriodSeconds=%2B");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query parameter gracePeriodSeconds: strconv.ParseInt: parsing \"+\": invalid syntax", Message(await Read(response)));
    }

    [Fact]
    public async Task List_SignedLimits_ReadAsParseIntReadsThem()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1"));
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p2"));

        var positive = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods?limit=%2B1"));
        var negative = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods?limit=-1"));

        Assert.Equal(["p1"], Names(positive));
        Assert.Equal(["p1", "p2"], Names(negative));
    }

    [Fact]
    public async Task Delete_GracePeriodZeroInQuery_DeletesAPodOnANodeAtOnce()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1", node: "n1"));

        var response = await Server.Http.DeleteAsync("/api/v1/namespaces/default/pods/p1?gracePeriodSeconds=0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/api/v1/namespaces/default/pods/p1")).StatusCode);
    }

    [Fact]
    public async Task Delete_BodyAndQuery_BodyWinsAsInKubernetes()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1", node: "n1"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/default/pods/p1?gracePeriodSeconds=0")
        {
            Content = new StringContent("""{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":30}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var deleted = await Read(await Server.Http.SendAsync(request));

        Assert.Equal(30, deleted.GetProperty("metadata").GetProperty("deletionGracePeriodSeconds").GetInt64());
    }
}

/// <summary>The suite on the on-disk embedded store (query parsing does not depend on the store).</summary>
public sealed class QueryParameterOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : QueryParameterTests(backend), IClassFixture<EmbeddedStoreBackend>;
