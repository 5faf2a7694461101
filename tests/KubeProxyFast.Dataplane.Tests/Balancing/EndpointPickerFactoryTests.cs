using KubeProxyFast.Dataplane.Balancing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class EndpointPickerFactoryTests
{
    [Fact]
    public void Create_Random_ReturnsSharedRandomPicker()
    {
        Assert.Same(RandomEndpointPicker.Shared, EndpointPickerFactory.Create(BalancingMode.Random));
    }

    [Fact]
    public void Create_RoundRobin_ReturnsIndependentRotatingPickers()
    {
        var a = EndpointPickerFactory.Create(BalancingMode.RoundRobin);
        var b = EndpointPickerFactory.Create(BalancingMode.RoundRobin);
        var set = TestEndpoints.Set(5);

        Assert.IsType<RoundRobinEndpointPicker>(a);
        Assert.NotSame(a, b);

        // Whatever the random start, consecutive picks step by one.
        var first = a.Pick(set);
        Assert.Equal((first + 1) % 5, a.Pick(set));
        Assert.Equal((first + 2) % 5, a.Pick(set));
    }

    [Fact]
    public void Create_UnknownMode_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EndpointPickerFactory.Create((BalancingMode)42));
    }
}
