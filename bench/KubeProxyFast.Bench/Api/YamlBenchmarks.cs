using BenchmarkDotNet.Attributes;
using k8s;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Bench.Api;

/// <summary>
/// Reading a multi-document manifest (a Service and its Endpoints, 20 times over) into typed
/// objects, against the official client's <c>KubernetesYaml.LoadAllFromString</c>.
/// </summary>
[MemoryDiagnoser]
public class YamlBenchmarks
{
    private const string Pair = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: default
          labels: {app: web}
        spec:
          type: NodePort
          selector: {app: web}
          sessionAffinity: ClientIP
          ports:
          - {name: http, port: 80, targetPort: 8080, protocol: TCP}
          - {name: dns, port: 53, targetPort: 53, protocol: UDP}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: web
          namespace: default
        subsets:
        - addresses:
          - {ip: 198.18.1.7, nodeName: node-1}
          - {ip: 198.18.2.9, nodeName: node-2}
          ports:
          - {name: http, port: 8080, protocol: TCP}
          - {name: dns, port: 53, protocol: UDP}

        """;

    // No empty document at the end: the official client's loader fails on one (NullReferenceException).
    private readonly string _manifest = string.Join("---\n", Enumerable.Repeat(Pair, 20));

    [Benchmark(Baseline = true, Description = "40 manifests: KubernetesClient")]
    public int LoadPeer() => KubernetesYaml.LoadAllFromString(_manifest).Count;

    [Benchmark(Description = "40 manifests: kpf")]
    public int Load() => YamlDocuments.ToObjects(_manifest).Count;
}
