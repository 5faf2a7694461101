using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client.Runner;

internal static partial class RunnerLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "{Runner}: the run failed; retrying as asked or at the maximum interval")]
    public static partial void RunFailed(ILogger logger, string runner, Exception exception);
}
