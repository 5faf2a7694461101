namespace KubeProxyFast.Dataplane.Tests.Support;

/// <summary>
/// Waits (bounded) for a value the event loops update just after the effect the test observed:
/// a counter is bumped after the send(2) whose bytes the client has already read.
/// </summary>
internal static class Eventually
{
    public static async Task<T> Value<T>(Func<T> read, T expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(2));
        var value = read();
        while (!EqualityComparer<T>.Default.Equals(value, expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            value = read();
        }

        return value;
    }
}
