using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Protobuf.ProtobufWire;
using Gen = KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.ApiServer.Tests.Protobuf;

/// <summary>
/// The API in <c>application/vnd.kubernetes.protobuf</c>, as client-go's typed clients speak it:
/// enveloped bodies in and out, lists, Status errors, watch frames, content negotiation.
/// Encoding sits above the store, so one store (the embedded one) is enough.
/// </summary>
public abstract class ProtobufApiTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private static Gen.Core.Pod Pod(string name) => new()
    {
        Metadata = new Gen.Meta.ObjectMeta { Name = name, Labels = { ["app"] = "web" }, CreationTimestamp = new Gen.Meta.Time() },
        Spec = new Gen.Core.PodSpec { Containers = { new Gen.Core.Container { Name = "c", Image = "nginx", Ports = { new Gen.Core.ContainerPort { ContainerPort_ = 80 } } } } },
        Status = new Gen.Core.PodStatus(),
    };

    [Fact]
    public async Task CreateGetListUpdateDelete_Pod_AllInProtobuf()
    {
        var created = await ReadAsync(await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("p1"), "v1", "Pod")), Gen.Core.Pod.Parser, "Pod");
        var got = await ReadAsync(await SendAsync(Server, HttpMethod.Get, Pods + "/p1", null), Gen.Core.Pod.Parser, "Pod");
        var list = await ReadAsync(await SendAsync(Server, HttpMethod.Get, Pods, null), Gen.Core.PodList.Parser, "PodList");
        got.Metadata.Labels["app"] = "db";
        var updated = await ReadAsync(await SendAsync(Server, HttpMethod.Put, Pods + "/p1", Envelope(got, "v1", "Pod")), Gen.Core.Pod.Parser, "Pod");
        var deleted = await SendAsync(Server, HttpMethod.Delete, Pods + "/p1", null);

        Assert.NotEmpty(created.Metadata.Uid);
        Assert.True(created.Metadata.CreationTimestamp.Seconds > 1_700_000_000);
        Assert.Equal("Always", created.Spec.RestartPolicy);
        Assert.Equal("TCP", created.Spec.Containers[0].Ports[0].Protocol);
        Assert.Equal(created.Metadata.ResourceVersion, got.Metadata.ResourceVersion);
        Assert.Equal("p1", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal(created.Metadata.ResourceVersion, list.Items[0].Metadata.ResourceVersion);
        Assert.True(long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("db", updated.Metadata.Labels["app"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("p1", Gen.Core.Pod.Parser.ParseFrom((await ReadEnvelopeAsync(deleted)).Raw).Metadata.Name);
    }

    [Fact]
    public async Task Create_ServiceWithZeroTargetPort_DefaultedAsKubernetesDoes()
    {
        // client-go writes every non-pointer field: targetPort arrives as IntOrString{type 0, intVal 0}.
        var service = new Gen.Core.Service
        {
            Metadata = new Gen.Meta.ObjectMeta { Name = "web", Namespace = "", GenerateName = "" },
            Spec = new Gen.Core.ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = "",
                Selector = { ["app"] = "web" },
                Ports = { new Gen.Core.ServicePort { Name = "", Protocol = "TCP", Port = 80, TargetPort = new Gen.IntStr.IntOrString { Type = 0, IntVal = 0, StrVal = "" }, NodePort = 0 } },
            },
        };

        var response = await SendAsync(Server, HttpMethod.Post, "/api/v1/namespaces/default/services", Envelope(service, "v1", "Service"));
        var created = await ReadAsync(response, Gen.Core.Service.Parser, "Service");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(80, created.Spec.Ports[0].TargetPort.IntVal);
        Assert.StartsWith("198.19.", created.Spec.ClusterIP, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Missing_StatusInProtobuf()
    {
        var response = await SendAsync(Server, HttpMethod.Get, Pods + "/nope", null);
        var unknown = await ReadEnvelopeAsync(response);
        var status = Gen.Meta.Status.Parser.ParseFrom(unknown.Raw);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Status", unknown.TypeMeta.Kind);
        Assert.Equal("v1", unknown.TypeMeta.ApiVersion);
        Assert.Equal(404, status.Code);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("Failure", status.Status_);
        Assert.Equal("pods \"nope\" not found", status.Message);
        Assert.Equal("nope", status.Details.Name);
    }

    [Fact]
    public async Task Create_Existing_AlreadyExistsInProtobuf()
    {
        await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("dup"), "v1", "Pod"));

        var response = await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("dup"), "v1", "Pod"));
        var status = await ReadAsync(response, Gen.Meta.Status.Parser, "Status");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("AlreadyExists", status.Reason);
    }

    [Fact]
    public async Task Watch_Protobuf_LengthPrefixedWatchEventFrames()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = new HttpRequestMessage(HttpMethod.Get, Pods + "?watch=true&timeoutSeconds=20");
        request.Headers.TryAddWithoutValidation("Accept", ClientGoAccept);
        using var response = await Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);

        await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("w1"), "v1", "Pod"));
        var added = await ReadFrameAsync(stream, timeout.Token);
        await SendAsync(Server, HttpMethod.Delete, Pods + "/w1", null);
        var deleted = await ReadFrameAsync(stream, timeout.Token);

        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("watch", Assert.Single(response.Content.Headers.ContentType!.Parameters, p => p.Name == "stream").Value);
        Assert.Equal("ADDED", added.Type);
        var envelope = Unwrap(added.Object.Raw.ToByteArray());
        Assert.Equal("Pod", envelope.TypeMeta.Kind);
        var pod = Gen.Core.Pod.Parser.ParseFrom(envelope.Raw);
        Assert.Equal("w1", pod.Metadata.Name);
        Assert.NotEmpty(pod.Metadata.ResourceVersion);
        Assert.Equal("DELETED", deleted.Type);
    }

    [Fact]
    public async Task Watch_FromRevisionWithStreamAccept_ReplaysInFrames()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("c" + i), "v1", "Pod"));
        }

        var request = new HttpRequestMessage(HttpMethod.Get, Pods + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=" + Server.InitialRevision);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.kubernetes.protobuf;stream=watch");
        using var response = await Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);

        var first = await ReadFrameAsync(stream, timeout.Token);

        Assert.Equal("ADDED", first.Type);
        Assert.Equal("c0", Gen.Core.Pod.Parser.ParseFrom(Unwrap(first.Object.Raw.ToByteArray()).Raw).Metadata.Name);
    }

    [Theory]
    [InlineData("application/json;q=0.5, application/vnd.kubernetes.protobuf", true)]
    [InlineData("application/vnd.kubernetes.protobuf;q=0.1, application/json", false)]
    [InlineData("application/vnd.kubernetes.protobuf;q=0, */*", false)]
    [InlineData("*/*;q=0.8, application/vnd.kubernetes.protobuf;q=0.9", true)]
    [InlineData("application/json, application/vnd.kubernetes.protobuf", false)]
    [InlineData("text/html, application/vnd.kubernetes.protobuf", true)]
    public async Task Get_AcceptWithQValues_NegotiatesAsKubernetes(string accept, bool protobuf)
    {
        await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("n1"), "v1", "Pod"));

        var response = await SendAsync(Server, HttpMethod.Get, Pods + "/n1", null, accept);

        Assert.Equal(protobuf ? MediaType : "application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Discovery_OnlyProtobufAccepted_NotAcceptable()
    {
        var response = await SendAsync(Server, HttpMethod.Get, "/api/v1", null, MediaType);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x0A, 0x09, 0x0A, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6F, 0x64, 0x12, 0x03, 0x0A, 0x05, 0x0A }, "length 5 at byte 1 runs past the end of its message")]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x0A, 0x09, 0x0A, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6F, 0x64, 0x12, 0x02, 0x10, 0x01 }, "wrong wire type 0 (varint) for field 2 (spec) of k8s.io.api.core.v1.Pod")]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x0A, 0x0C, 0x0A, 0x02, 0x76, 0x31, 0x12, 0x06, 0x50, 0x6F, 0x64, 0x58, 0x58, 0x58 }, "no kind \"PodXXX\" is registered for version \"v1\"")]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73 }, "magic bytes")]
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x12, 0x01, 0x08 }, "does not name its kind and apiVersion")]
    public async Task Create_MalformedProtobuf_BadRequestNamingTheProblem(byte[] body, string expected)
    {
        var response = await SendAsync(Server, HttpMethod.Post, Pods, body, "application/json");
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ProtobufOfAnotherKind_BadRequestNamingBoth()
    {
        var service = new Gen.Core.Service { Metadata = new Gen.Meta.ObjectMeta { Name = "s" } };

        var response = await SendAsync(Server, HttpMethod.Post, Pods, Envelope(service, "v1", "Service"), "application/json");
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("the kind of the object (\"Service\") does not match the kind of the request path (\"Pod\")", json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Kubectl_CreateNamespaceAndServiceAndRun_SendsProtobufAndSucceeds()
    {
        var ns = Server.Kubectl("create", "namespace", "team-a");
        var service = Server.Kubectl("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "team-a");
        var run = Server.Kubectl("run", "web", "--image=nginx", "-n", "team-a", "--labels=app=web");
        var got = Server.Kubectl("get", "svc", "web", "-n", "team-a", "-o", "jsonpath={.spec.ports[0].targetPort} {.spec.clusterIP}");
        var again = Server.Kubectl("create", "namespace", "team-a");

        Assert.True(ns.ExitCode == 0, ns.ToString());
        Assert.Contains("namespace/team-a created", ns.Stdout, StringComparison.Ordinal);
        Assert.True(service.ExitCode == 0, service.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^8080 198\.19\.\d+\.\d+$", got.Stdout.Trim());
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("namespaces \"team-a\" already exists", again.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>The protobuf API on the embedded store.</summary>
public sealed class ProtobufApiOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ProtobufApiTests(backend), IClassFixture<EmbeddedStoreBackend>;
