using System.Net;
using BenchmarkDotNet.Attributes;
using KubeProxyFast.Dataplane.Netfilter.IptablesRestore;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Bench.Dataplane;

/// <summary>
/// The iptables-restore text of 50,000 service ports × 3 endpoints (the scale the renderer is
/// built for; ~850,000 lines). The peer is the straightforward renderer: an interpolated string
/// per line into a list, joined at the end (the shape of a first port of kube-proxy's Go); the
/// setup checks it writes the same text.
/// </summary>
[MemoryDiagnoser]
public class IptablesRestoreBenchmarks
{
    private ProxySnapshot _snapshot = ProxySnapshot.Empty;

    [Params(50_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = new ProxySnapshot(Enumerable.Range(0, Services).Select(Port));
        if (LineListRender() != IptablesRestoreRenderer.Render(_snapshot))
        {
            throw new InvalidOperationException("the peer renders different text");
        }
    }

    [Benchmark(Baseline = true, Description = "50k ports: string per line, List + Join")]
    public int LineList() => LineListRender().Length;

    [Benchmark(Description = "50k ports: kpf Render to string")]
    public int RenderString() => IptablesRestoreRenderer.Render(_snapshot).Length;

    [Benchmark(Description = "50k ports: kpf Render into a TextWriter (stdin of iptables-restore)")]
    public void RenderWriter() => IptablesRestoreRenderer.Render(_snapshot, TextWriter.Null);

    private string LineListRender()
    {
        var lines = new List<string>
        {
            "*filter", ":KUBE-SERVICES - [0:0]", ":KUBE-EXTERNAL-SERVICES - [0:0]", "COMMIT",
            "*nat", ":KUBE-SERVICES - [0:0]", ":KUBE-NODEPORTS - [0:0]", ":KUBE-POSTROUTING - [0:0]", ":KUBE-MARK-MASQ - [0:0]",
        };
        var names = new List<(string Svc, List<string> Seps)>();
        foreach (var port in _snapshot.Ports)
        {
            var svc = IptablesChainNames.ServicePort(port.Id, port.Protocol);
            var seps = port.Endpoints.Select(e => IptablesChainNames.Endpoint(port.Id, port.Protocol, e)).ToList();
            names.Add((svc, seps));
            lines.Add($":{svc} - [0:0]");
            lines.AddRange(seps.Select(s => $":{s} - [0:0]"));
        }

        lines.Add("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN");
        lines.Add("-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000");
        lines.Add("-A KUBE-POSTROUTING -j MASQUERADE");
        lines.Add("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000");
        for (var p = 0; p < _snapshot.Ports.Length; p++)
        {
            var port = _snapshot.Ports[p];
            var (svc, seps) = names[p];
            lines.Add($"-A KUBE-SERVICES -d {port.ClusterIP}/32 -p tcp -m comment --comment \"{port.Id} cluster IP\" -m tcp --dport {port.Port} -j {svc}");
            for (var i = 0; i < seps.Count; i++)
            {
                lines.Add(i < seps.Count - 1
                    ? $"-A {svc} -m statistic --mode random --probability {1.0 / (seps.Count - i):F10} -j {seps[i]}"
                    : $"-A {svc} -j {seps[i]}");
            }

            for (var i = 0; i < seps.Count; i++)
            {
                lines.Add($"-A {seps[i]} -s {port.Endpoints[i].Address}/32 -j KUBE-MARK-MASQ");
                lines.Add($"-A {seps[i]} -p tcp -m tcp -j DNAT --to-destination {port.Endpoints[i]}");
            }
        }

        lines.Add("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
        lines.Add("COMMIT");
        return string.Join('\n', lines) + "\n";
    }

    private static ServicePortSpec Port(int i) => new()
    {
        Id = new ServicePortId("default", $"svc-{i:D5}", "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = new IPAddress([198, 19, (byte)(i >> 8), (byte)i]),
        Port = 80,
        Endpoints = [.. Enumerable.Range(1, 3).Select(e => new IPEndPoint(new IPAddress([198, 18, (byte)(i >> 8), (byte)((i * 3) + e)]), 8080))],
    };
}
