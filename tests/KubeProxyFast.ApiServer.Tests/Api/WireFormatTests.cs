using System.Net;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>
/// The bytes kube-apiserver writes: Go's escaping, a newline after every body and watch event,
/// and properties in the order the Go structs declare them (clients and tools compare strings).
/// </summary>
public abstract class WireFormatTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    // Go's declaration order (k8s.io/api core/v1 types.go, apimachinery meta/v1 types.go) of the fields these tests fill.
    private static readonly string[] GoObjectMeta =
        ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
         "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields"];

    private static readonly string[] GoPodSpec =
        ["volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds",
         "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
         "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname",
         "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority"];

    private static readonly string[] GoContainer =
        ["name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy",
         "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
         "terminationMessagePolicy", "imagePullPolicy"];

    private static readonly string[] GoServiceSpec =
        ["ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
         "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses",
         "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy"];

    private static readonly string[] GoServicePort = ["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"];

    [Fact]
    public async Task Create_ExistingService_StatusBytesAsKubernetesWritesThem()
    {
        await Created(Server, "/api/v1/namespaces/default/services", Service("mock-2"));

        var response = await Server.PostJsonAsync("/api/v1/namespaces/default/services", Service("mock-2"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"services \\\"mock-2\\\" already exists\",\"reason\":\"AlreadyExists\",\"details\":{\"name\":\"mock-2\",\"kind\":\"services\"},\"code\":409}\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_HtmlAndNonAsciiText_EscapedAsGoAndEndedByNewline()
    {
        var pod = Pod("p1").Replace("\"labels\":", "\"annotations\":{\"note\":\"<b>\\\"café\\\" & 日本</b>\"},\"labels\":", StringComparison.Ordinal);
        await Created(Server, "/api/v1/namespaces/default/pods", pod);

        var bytes = await (await Server.Http.GetAsync("/api/v1/namespaces/default/pods/p1")).Content.ReadAsByteArrayAsync();
        var body = Encoding.UTF8.GetString(bytes);

        Assert.Contains("\"annotations\":{\"note\":\"\\u003cb\\u003e\\\"café\\\" \\u0026 日本\\u003c/b\\u003e\"}", body, StringComparison.Ordinal);
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_ListDiscoveryAndVersion_EndWithNewline()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1"));

        foreach (var path in new[] { "/api/v1/namespaces/default/pods", "/api/v1", "/api", "/apis", "/version", "/api/v1/namespaces/default/pods/missing" })
        {
            var body = await (await Server.Http.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.True(body.EndsWith("}\n", StringComparison.Ordinal) && !body.EndsWith("}\n\n", StringComparison.Ordinal), $"{path}: {body}");
        }
    }

    [Fact]
    public async Task Watch_EveryEvent_EndsWithNewline()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p1"));
        using var response = await Server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods?watch=1"), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var first = await ReadThroughNewlineAsync(stream, timeout.Token);
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("p2"));
        var second = await ReadThroughNewlineAsync(stream, timeout.Token);

        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p1\"", first, StringComparison.Ordinal);
        Assert.EndsWith("}}\n", first, StringComparison.Ordinal);
        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p2\"", second, StringComparison.Ordinal);
        Assert.EndsWith("}}\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Pod_PropertiesInGoOrder()
    {
        // Sent in reverse order, with the fields this server serves.
        const string pod = """
            {"spec":{"priority":0,"schedulerName":"s","hostname":"h","nodeName":"n1","serviceAccountName":"sa","nodeSelector":{"b":"1","a":"2"},
             "dnsPolicy":"Default","activeDeadlineSeconds":5,"terminationGracePeriodSeconds":3,"restartPolicy":"Never",
             "containers":[{"imagePullPolicy":"Always","readinessProbe":{"tcpSocket":{"port":80}},"livenessProbe":{"tcpSocket":{"port":80}},
               "resources":{},"env":[{"value":"v","name":"E"}],"ports":[{"protocol":"TCP","containerPort":80,"name":"http"}],
               "workingDir":"/","args":["a"],"command":["c"],"image":"nginx","name":"c"}]},
             "metadata":{"annotations":{"z":"1"},"labels":{"app":"x"},"namespace":"default","name":"ordered"},
             "apiVersion":"v1","kind":"Pod"}
            """;
        await Created(Server, "/api/v1/namespaces/default/pods", pod);

        var got = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods/ordered"));

        Assert.Equal(["kind", "apiVersion", "metadata", "spec", "status"], PropertyNames(got));
        AssertGoOrder(GoObjectMeta, got.GetProperty("metadata"));
        AssertGoOrder(GoPodSpec, got.GetProperty("spec"));
        AssertGoOrder(GoContainer, got.GetProperty("spec").GetProperty("containers")[0]);
        Assert.Equal(["name", "containerPort", "protocol"], PropertyNames(got.GetProperty("spec").GetProperty("containers")[0].GetProperty("ports")[0]));
        Assert.Equal(["name", "value"], PropertyNames(got.GetProperty("spec").GetProperty("containers")[0].GetProperty("env")[0]));
        Assert.Equal(["a", "b"], PropertyNames(got.GetProperty("spec").GetProperty("nodeSelector")));
    }

    [Fact]
    public async Task Get_Service_PropertiesInGoOrder()
    {
        const string service = """
            {"spec":{"sessionAffinity":"None","type":"NodePort","selector":{"app":"x"},"ports":[{"nodePort":30080,"targetPort":8080,"port":80,"protocol":"TCP","name":"http"}]},
             "metadata":{"name":"ordered"},"apiVersion":"v1","kind":"Service"}
            """;
        await Created(Server, "/api/v1/namespaces/default/services", service);

        var got = await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/services/ordered"));

        Assert.Equal(["kind", "apiVersion", "metadata", "spec", "status"], PropertyNames(got));
        AssertGoOrder(GoServiceSpec, got.GetProperty("spec"));
        AssertGoOrder(GoServicePort, got.GetProperty("spec").GetProperty("ports")[0]);
    }

    /// <summary>Every property is a field of the Go struct, in the struct's order.</summary>
    private static void AssertGoOrder(string[] goOrder, JsonElement obj)
    {
        var names = PropertyNames(obj);
        foreach (var name in names)
        {
            Assert.Contains(name, goOrder);
        }

        Assert.Equal(names.OrderBy(n => Array.IndexOf(goOrder, n)), names);
    }

    private static string[] PropertyNames(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();

    private static async Task<string> ReadThroughNewlineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1)
        {
            line.Add(one[0]);
            if (one[0] == (byte)'\n')
            {
                break;
            }
        }

        return Encoding.UTF8.GetString([.. line]);
    }
}

/// <summary>The suite on the on-disk embedded store (the encoding does not depend on the store).</summary>
public sealed class WireFormatOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : WireFormatTests(backend), IClassFixture<EmbeddedStoreBackend>;
