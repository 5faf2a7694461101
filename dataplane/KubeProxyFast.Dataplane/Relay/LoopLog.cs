using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>Log messages of the event loops and relays (fixed ids; formatted only when enabled).</summary>
internal static partial class LoopLog
{
    [LoggerMessage(1, LogLevel.Error, "loop {Loop}: epoll_wait failed: {Errno}")]
    public static partial void WaitFailed(ILogger logger, int loop, string errno);

    [LoggerMessage(2, LogLevel.Error, "loop {Loop}: handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, int loop);

    [LoggerMessage(3, LogLevel.Warning, "{ServicePort}: accept failed: {Errno}; pausing accepts for {PauseMs} ms")]
    public static partial void AcceptPaused(ILogger logger, string servicePort, string errno, int pauseMs);

    [LoggerMessage(4, LogLevel.Debug, "{ServicePort}: connect to {Endpoint} failed: {Errno}")]
    public static partial void ConnectFailed(ILogger logger, string servicePort, string endpoint, string errno);

    [LoggerMessage(5, LogLevel.Warning, "{ServicePort}: no endpoint reachable after {Attempts} attempts; closing the client connection")]
    public static partial void GaveUp(ILogger logger, string servicePort, int attempts);

    [LoggerMessage(6, LogLevel.Information, "loop {Loop}: epoll registrations, setsockopt, sends and closes of connections are batched through io_uring")]
    public static partial void Batching(ILogger logger, int loop);

    [LoggerMessage(7, LogLevel.Information, "loop {Loop}: io_uring not used ({Reason}); every call is a plain system call")]
    public static partial void NotBatching(ILogger logger, int loop, string reason);

    [LoggerMessage(8, LogLevel.Error, "loop {Loop}: io_uring_enter failed: {Errno}")]
    public static partial void BatchFailed(ILogger logger, int loop, string errno);

    [LoggerMessage(9, LogLevel.Error, "loop {Loop}: batched close of descriptor {Fd} failed: {Errno}")]
    public static partial void BatchedCloseFailed(ILogger logger, int loop, int fd, string errno);

    [LoggerMessage(10, LogLevel.Warning, "{ServicePort}: epoll refused a connection's socket: {Errno}; closing the client connection")]
    public static partial void RegistrationFailed(ILogger logger, string servicePort, string errno);
}
