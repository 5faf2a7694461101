namespace KubeProxyFast.KubeProxy.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until it returns true; fails the test after <paramref name="timeout"/> (default 3 s).</summary>
    public static async Task True(Func<bool> probe, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(3));
        while (!probe())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }
}
