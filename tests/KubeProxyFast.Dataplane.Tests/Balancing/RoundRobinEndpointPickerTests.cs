using KubeProxyFast.Dataplane.Balancing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class RoundRobinEndpointPickerTests
{
    [Fact]
    public void Pick_Sequential_RotatesInOrder()
    {
        var picker = new RoundRobinEndpointPicker();
        var set = TestEndpoints.Set(3);

        var picks = Enumerable.Range(0, 7).Select(_ => picker.Pick(set)).ToArray();

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], picks);
    }

    [Fact]
    public void Pick_StartOffset_BeginsThere()
    {
        var picker = new RoundRobinEndpointPicker(start: 5);
        var set = TestEndpoints.Set(3);

        Assert.Equal([2, 0, 1], [picker.Pick(set), picker.Pick(set), picker.Pick(set)]);
    }

    [Fact]
    public void Pick_ConcurrentCallers_EachEndpointChosenExactlyEqually()
    {
        const int Threads = 4;
        const int PicksPerThread = 30_000; // 120 000 picks over 3 endpoints: exactly 40 000 each
        var picker = new RoundRobinEndpointPicker();
        var set = TestEndpoints.Set(3);
        var counts = new long[set.Count];
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (var t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(() =>
            {
                var local = new long[set.Count];
                start.SignalAndWait();
                for (var i = 0; i < PicksPerThread; i++)
                {
                    local[picker.Pick(set)]++;
                }

                for (var e = 0; e < local.Length; e++)
                {
                    Interlocked.Add(ref counts[e], local[e]);
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal([40_000L, 40_000L, 40_000L], counts);

        // The rotation is intact after the race: the next ticket is 120 000, and 120 000 mod 3 = 0.
        Assert.Equal(0, picker.Pick(set));
    }

    [Fact]
    public void Pick_SetShrinks_KeepsRotatingModuloNewCount()
    {
        var picker = new RoundRobinEndpointPicker();
        var four = TestEndpoints.Set(4);
        var two = TestEndpoints.Set(2);

        Assert.Equal([0, 1, 2], [picker.Pick(four), picker.Pick(four), picker.Pick(four)]);

        // Tickets 3, 4, 5 modulo 2.
        Assert.Equal([1, 0, 1], [picker.Pick(two), picker.Pick(two), picker.Pick(two)]);
        Assert.Equal(2, picker.Pick(four)); // ticket 6 mod 4
    }

    [Fact]
    public void Pick_OneOrNoEndpoint_ReturnsOnlyIndexOrMinusOne()
    {
        var picker = new RoundRobinEndpointPicker();

        Assert.Equal(0, picker.Pick(TestEndpoints.Set(1)));
        Assert.Equal(-1, picker.Pick(EndpointSet.Empty));
    }

    [Fact]
    public void PickExcept_TurnOfExcluded_GoesToItsSuccessor()
    {
        var picker = new RoundRobinEndpointPicker();
        var set = TestEndpoints.Set(3);

        // Tickets 0..3 give 0,1,2,0; index 0 is excluded, so its turns go to 1.
        var picks = Enumerable.Range(0, 4).Select(_ => picker.PickExcept(set, 0)).ToArray();

        Assert.Equal([1, 1, 2, 1], picks);
    }

    [Fact]
    public void PickExcept_LastIndexExcluded_WrapsToFirst()
    {
        var picker = new RoundRobinEndpointPicker(start: 2);

        Assert.Equal(0, picker.PickExcept(TestEndpoints.Set(3), 2));
    }

    [Fact]
    public void Constructor_NegativeStart_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoundRobinEndpointPicker(-1));
    }
}
