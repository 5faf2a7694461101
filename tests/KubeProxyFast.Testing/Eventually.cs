namespace KubeProxyFast.Testing;

/// <summary>
/// Bounded waits for state that settles just after the effect a test observed: the event loops
/// bump a counter after the send(2) whose bytes the client has already read, and a file source
/// reloads some milliseconds after the write.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Polls <paramref name="read"/> until it returns <paramref name="expected"/> or
    /// <paramref name="within"/> passes, and returns the last value read, for the caller to assert on.
    /// </summary>
    public static async Task<T> Value<T>(Func<T> read, T expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        var value = read();
        while (!EqualityComparer<T>.Default.Equals(value, expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(PollInterval);
            value = read();
        }

        return value;
    }

    /// <summary>Polls <paramref name="probe"/> until it returns true; throws, failing the test, once <paramref name="within"/> passes.</summary>
    public static Task True(Func<bool> probe, string what, TimeSpan? within = null) =>
        True(() => Task.FromResult(probe()), what, within);

    /// <summary>Polls <paramref name="probe"/>, which asks something outside the process (a server), until it returns true; throws once <paramref name="within"/> passes.</summary>
    public static async Task True(Func<Task<bool>> probe, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        while (!await probe())
        {
            if (DateTime.UtcNow >= deadline)
            {
                // An exception rather than Assert.Fail keeps this library free of a test framework;
                // the runner reports either as the test's failure, with this message.
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
