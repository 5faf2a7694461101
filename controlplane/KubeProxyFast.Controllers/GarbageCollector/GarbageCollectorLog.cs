using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.GarbageCollector;

public sealed partial class GarbageCollector
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "starting the garbage collector with {Workers} workers")]
    private static partial void LogStarting(ILogger logger, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "garbage collecting {Item}: {Error}; retrying")]
    private static partial void LogRetry(ILogger logger, string item, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "deleting {Item}, whose owners are all gone (propagationPolicy {Policy})")]
    private static partial void LogDeleting(ILogger logger, ObjectIdentity item, string policy);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "removing {Count} references to absent or deleting owners from {Item}")]
    private static partial void LogRemovingReferences(ILogger logger, ObjectIdentity item, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "leaving {Item} alone: its owner reference names {ApiVersion} {Kind} {Name}, a kind this server does not serve")]
    private static partial void LogUnresolvableOwner(ILogger logger, ObjectIdentity item, string apiVersion, string kind, string name);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "leaving {Item} alone: {Reason}")]
    private static partial void LogInvalidOwner(ILogger logger, ObjectIdentity item, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "released the {Count} dependents of {Item}")]
    private static partial void LogOrphaned(ILogger logger, ObjectIdentity item, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "removing finalizer {Finalizer} from {Item}")]
    private static partial void LogRemovingFinalizer(ILogger logger, ObjectIdentity item, string finalizer);
}
