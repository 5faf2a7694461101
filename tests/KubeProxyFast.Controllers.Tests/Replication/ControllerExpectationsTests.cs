using KubeProxyFast.Controllers.Replication;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ControllerExpectationsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Satisfied_NothingExpected_IsTrue()
    {
        var expectations = new ControllerExpectations(_time, TimeSpan.FromMinutes(5));

        Assert.True(expectations.Satisfied("ns/rc", out _));
    }

    [Fact]
    public void Satisfied_CreatesPending_FalseUntilAllObserved()
    {
        var expectations = new ControllerExpectations(_time, TimeSpan.FromMinutes(5));
        expectations.ExpectCreations("ns/rc", 3);

        expectations.CreationObserved("ns/rc");
        expectations.LowerCreations("ns/rc", 1);
        Assert.False(expectations.Satisfied("ns/rc", out var expiresIn));
        Assert.Equal(TimeSpan.FromMinutes(5), expiresIn);

        expectations.CreationObserved("ns/rc");
        Assert.True(expectations.Satisfied("ns/rc", out _));
    }

    [Fact]
    public void DeletionObserved_SamePodTwice_CountsOnce()
    {
        var expectations = new ControllerExpectations(_time, TimeSpan.FromMinutes(5));
        expectations.ExpectDeletions("ns/rc", ["ns/a", "ns/b"]);

        // Marked for deletion, then gone: one deletion. A pod never expected counts for nothing.
        expectations.DeletionObserved("ns/rc", "ns/a");
        expectations.DeletionObserved("ns/rc", "ns/a");
        expectations.DeletionObserved("ns/rc", "ns/other");
        Assert.Equal((0, 1), expectations.Pending("ns/rc"));
        Assert.False(expectations.Satisfied("ns/rc", out _));

        expectations.DeletionObserved("ns/rc", "ns/b");
        Assert.True(expectations.Satisfied("ns/rc", out _));
    }

    [Fact]
    public void Satisfied_ExpectationsOlderThanTheTimeout_IsTrue()
    {
        var expectations = new ControllerExpectations(_time, TimeSpan.FromMinutes(5));
        expectations.ExpectCreations("ns/rc", 2);

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(expectations.Satisfied("ns/rc", out var expiresIn));
        Assert.Equal(TimeSpan.FromMinutes(1), expiresIn);

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1));
        Assert.True(expectations.Satisfied("ns/rc", out _));
    }

    [Fact]
    public void Delete_ForgetsTheController()
    {
        var expectations = new ControllerExpectations(_time, TimeSpan.FromMinutes(5));
        expectations.ExpectCreations("ns/rc", 2);

        expectations.Delete("ns/rc");

        Assert.True(expectations.Satisfied("ns/rc", out _));
        Assert.Equal((0, 0), expectations.Pending("ns/rc"));
    }
}
