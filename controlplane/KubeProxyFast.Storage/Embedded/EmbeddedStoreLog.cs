using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Storage.Embedded;

/// <summary>What recovery reports: nothing is dropped without a line here.</summary>
internal static partial class EmbeddedStoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "{Path}: dropped the last {Bytes} bytes, from byte offset {Offset}: a write cut short by a crash ({Problem}), never acknowledged")]
    public static partial void CutWriteDropped(ILogger logger, string path, long bytes, long offset, string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "repair: {Path} is damaged at byte offset {Offset} ({Problem}); kept a copy as {Copy} and cut the log there, dropping {Bytes} bytes: every revision after {Revision} in this segment")]
    public static partial void Repaired(ILogger logger, string path, long offset, string problem, string copy, long bytes, long revision);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error,
        Message = "repair: moved the log segment {Path} aside as {Aside}: it follows the damage, so its revisions are dropped too")]
    public static partial void SegmentMovedAside(ILogger logger, string path, string aside);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "deleted the log segment {Path}: the snapshot at revision {Revision} covers it (a crash came before the rotation deleted it)")]
    public static partial void CoveredSegmentDeleted(ILogger logger, string path, long revision);
}
