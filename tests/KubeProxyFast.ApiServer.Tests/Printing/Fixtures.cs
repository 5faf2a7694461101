using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Tests.Printing;

/// <summary>A fixed clock and a printer that reads it.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static TablePrinter Printer() => new(new FixedTime(Now));

    public static DateTimeOffset Ago(int seconds) => Now.AddSeconds(-seconds);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
