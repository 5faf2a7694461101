using System.Net;
using BenchmarkDotNet.Attributes;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Bench.Dataplane;

/// <summary>
/// What changed between two snapshots of 10,000 service ports × 5 endpoints when one service's
/// endpoints changed — the question every sync asks. The peer is the straightforward diff: a
/// dictionary of the old ports probed for every new one (kube-proxy's change tracker keeps maps).
/// </summary>
[MemoryDiagnoser]
public class SnapshotDiffBenchmarks
{
    private ProxySnapshot _before = ProxySnapshot.Empty;
    private ProxySnapshot _after = ProxySnapshot.Empty;

    [Params(10_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ports = Enumerable.Range(0, Services).Select(Port).ToArray();
        _before = new ProxySnapshot(ports);
        // New objects with equal content everywhere (as a rebuild from the API produces), one real change.
        var rebuilt = Enumerable.Range(0, Services).Select(Port).ToArray();
        rebuilt[Services / 2] = rebuilt[Services / 2] with { Endpoints = [IPEndPoint.Parse("198.19.255.1:8080")] };
        _after = new ProxySnapshot(rebuilt);
    }

    [Benchmark(Baseline = true, Description = "diff 10k ports, 1 changed: dictionary probe")]
    public int DictionaryDiff()
    {
        var old = new Dictionary<ServicePortId, ServicePortSpec>(_before.Ports.Length);
        foreach (var port in _before.Ports)
        {
            old[port.Id] = port;
        }

        var changes = 0;
        foreach (var port in _after.Ports)
        {
            if (!old.Remove(port.Id, out var previous) || !previous.Equals(port))
            {
                changes++;
            }
        }

        return changes + old.Count;
    }

    [Benchmark(Description = "diff 10k ports, 1 changed: kpf SnapshotDiff (merge)")]
    public int MergeDiff()
    {
        var diff = SnapshotDiff.Compute(_before, _after);
        return diff.Added.Count + diff.Removed.Count + diff.Changed.Count;
    }

    private static ServicePortSpec Port(int i) => new()
    {
        Id = new ServicePortId("default", $"svc-{i:D5}", "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = new IPAddress([198, 18, (byte)(i >> 8), (byte)i]),
        Port = 80,
        Endpoints = [.. Enumerable.Range(1, 5).Select(e => new IPEndPoint(new IPAddress([198, 19, (byte)(i >> 8), (byte)(i + e)]), 8080))],
    };
}
