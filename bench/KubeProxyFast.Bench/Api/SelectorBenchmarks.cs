using BenchmarkDotNet.Attributes;
using KubeProxyFast.Api.Labels;

namespace KubeProxyFast.Bench.Api;

/// <summary>
/// Selector matching is the endpoints controller's inner loop (every pod against every service).
/// The official C# client has no selector engine, so the peer is the dictionary loop a client
/// would write for an equality selector; ours also handles set-based requirements.
/// </summary>
[MemoryDiagnoser]
public class SelectorBenchmarks
{
    private readonly Dictionary<string, string> _labels = new()
    {
        ["app"] = "web", ["tier"] = "frontend", ["env"] = "prod", ["version"] = "v2", ["team"] = "edge",
    };

    private readonly Dictionary<string, string> _equality = new() { ["app"] = "web", ["env"] = "prod" };
    private Selector _equalitySelector = Selector.Everything;
    private Selector _setSelector = Selector.Everything;

    [GlobalSetup]
    public void Setup()
    {
        _equalitySelector = Selector.FromSet(_equality);
        _setSelector = Selector.Parse("app=web,env in (prod,qa),!legacy,tier");
    }

    [Benchmark(Baseline = true, Description = "match 2 equalities: dictionary loop")]
    public bool MatchPeer()
    {
        foreach (var (key, value) in _equality)
        {
            if (!_labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    [Benchmark(Description = "match 2 equalities: kpf Selector")]
    public bool Match() => _equalitySelector.Matches(_labels);

    [Benchmark(Description = "match 4 set-based: kpf Selector")]
    public bool MatchSet() => _setSelector.Matches(_labels);

    [Benchmark(Description = "parse 4 requirements: kpf Selector")]
    public Selector Parse() => Selector.Parse("app=web,env in (prod,qa),!legacy,tier");
}
