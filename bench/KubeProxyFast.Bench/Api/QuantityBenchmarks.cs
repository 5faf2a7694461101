using BenchmarkDotNet.Attributes;
using k8s.Models;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Bench.Api;

/// <summary>Parsing, comparing and printing quantities, against the official client's ResourceQuantity.</summary>
[MemoryDiagnoser]
public class QuantityBenchmarks
{
    private static readonly string[] Inputs = ["100m", "0.5", "64Mi", "1G", "1536Mi", "2", "250m", "1.5Gi"];
    private readonly Quantity[] _parsed = Inputs.Select(Quantity.Parse).ToArray();
    private readonly ResourceQuantity[] _peerParsed = Inputs.Select(s => new ResourceQuantity(s)).ToArray();

    [Benchmark(Baseline = true, Description = "parse 8: KubernetesClient")]
    public int ParsePeer()
    {
        var n = 0;
        foreach (var s in Inputs)
        {
            n += new ResourceQuantity(s).ToDecimal() > 0 ? 1 : 0;
        }

        return n;
    }

    [Benchmark(Description = "parse 8: kpf")]
    public int Parse()
    {
        var n = 0;
        foreach (var s in Inputs)
        {
            n += Quantity.Parse(s).Sign;
        }

        return n;
    }

    [Benchmark(Description = "compare 8: KubernetesClient")]
    public int ComparePeer()
    {
        var n = 0;
        for (var i = 1; i < _peerParsed.Length; i++)
        {
            n += _peerParsed[i].ToDecimal().CompareTo(_peerParsed[i - 1].ToDecimal());
        }

        return n;
    }

    [Benchmark(Description = "compare 8: kpf")]
    public int Compare()
    {
        var n = 0;
        for (var i = 1; i < _parsed.Length; i++)
        {
            n += _parsed[i].CompareTo(_parsed[i - 1]);
        }

        return n;
    }

    [Benchmark(Description = "print 8: KubernetesClient")]
    public int PrintPeer()
    {
        var n = 0;
        foreach (var q in _peerParsed)
        {
            n += q.CanonicalizeString().Length;
        }

        return n;
    }

    [Benchmark(Description = "print 8: kpf")]
    public int Print()
    {
        var n = 0;
        foreach (var q in _parsed)
        {
            n += q.ToString().Length;
        }

        return n;
    }
}
