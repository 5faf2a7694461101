using KubeProxyFast.Dataplane.Balancing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class RandomEndpointPickerTests
{
    // Chi-square critical values for 9 degrees of freedom (10 endpoints), upper tail:
    // p = 0.001 → 27.88; p = 1e-9 → 60.66 (computed from the regularised incomplete gamma function).
    private const double ChiSquare9DfP001 = 27.88;
    private const double ChiSquare9DfP1e9 = 60.66;

    [Fact]
    public void Reduce_FixedSeedMillionDraws_UniformWithinChiSquareBound()
    {
        // Deterministic: the same generator and range reduction Pick uses, from a fixed seed.
        // A uniform picker stays under the p = 0.001 critical value 999 times in 1000 seeds.
        const int Endpoints = 10;
        const int Draws = 1_000_000;
        var counts = new long[Endpoints];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < Draws; i++)
        {
            counts[RandomEndpointPicker.Reduce(RandomEndpointPicker.NextUInt32(ref state), Endpoints)]++;
        }

        Assert.InRange(ChiSquare(counts, Draws), 0, ChiSquare9DfP001);
    }

    [Fact]
    public void Pick_MillionPicksOnSharedPicker_UniformWithinChiSquareBound()
    {
        // The thread's generator is seeded at random, so use a bound a uniform picker exceeds once in
        // a billion runs: a failure means a real skew, not bad luck.
        const int Draws = 1_000_000;
        var set = TestEndpoints.Set(10);
        var counts = new long[set.Count];
        for (var i = 0; i < Draws; i++)
        {
            counts[RandomEndpointPicker.Shared.Pick(set)]++;
        }

        Assert.InRange(ChiSquare(counts, Draws), 0, ChiSquare9DfP1e9);
    }

    [Fact]
    public void Pick_TwoEndpoints_ChoosesBothAboutEqually()
    {
        // 100 000 fair coin flips: each side within 50 000 ± 3 000 (19 standard deviations; a
        // constant or alternating-but-biased picker fails).
        var set = TestEndpoints.Set(2);
        var ones = 0;
        for (var i = 0; i < 100_000; i++)
        {
            ones += RandomEndpointPicker.Shared.Pick(set);
        }

        Assert.InRange(ones, 47_000, 53_000);
    }

    [Fact]
    public void Pick_OneOrNoEndpoint_ReturnsOnlyIndexOrMinusOne()
    {
        Assert.Equal(0, RandomEndpointPicker.Shared.Pick(TestEndpoints.Set(1)));
        Assert.Equal(-1, RandomEndpointPicker.Shared.Pick(EndpointSet.Empty));
    }

    [Fact]
    public void PickExcept_ExcludedIndex_NeverReturnedOthersUniform()
    {
        const int Draws = 700_000;
        var set = TestEndpoints.Set(8);
        var counts = new long[set.Count];
        for (var i = 0; i < Draws; i++)
        {
            counts[RandomEndpointPicker.Shared.PickExcept(set, 3)]++;
        }

        Assert.Equal(0, counts[3]);
        var others = counts.Where((_, i) => i != 3).ToArray();

        // 7 endpoints → 6 degrees of freedom; the p = 1e-9 critical value is 53.34.
        Assert.InRange(ChiSquare(others, Draws), 0, 53.34);
    }

    [Fact]
    public void PickExcept_OnlyEndpointExcluded_ReturnsIt()
    {
        Assert.Equal(0, RandomEndpointPicker.Shared.PickExcept(TestEndpoints.Set(1), 0));
    }

    [Fact]
    public void Pick_ConcurrentThreads_EveryThreadSpreadsOverAllEndpoints()
    {
        // Each thread has its own generator; a shared or unseeded state would show as threads that
        // return identical sequences or stay on one endpoint.
        var set = TestEndpoints.Set(4);
        var perThread = new long[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var counts = new long[set.Count];
            for (var i = 0; i < 40_000; i++)
            {
                counts[RandomEndpointPicker.Shared.Pick(set)]++;
            }

            perThread[t] = counts;
        });

        foreach (var counts in perThread)
        {
            Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000)); // mean 10 000, σ ≈ 87
        }
    }

    private static double ChiSquare(long[] counts, long total)
    {
        var expected = (double)total / counts.Length;
        var sum = 0.0;
        foreach (var c in counts)
        {
            sum += (c - expected) * (c - expected) / expected;
        }

        return sum;
    }
}
