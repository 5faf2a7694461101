namespace KubeProxyFast.Client;

/// <summary>
/// A value read from one or two files and read again when either file's modification time changes
/// (checked at most once a second), as client-go reloads rotated certificates and token files. A
/// read that fails keeps the last good value, so a rotation caught half-written is retried later.
/// </summary>
internal sealed class ChangingFile<T>
    where T : class
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly string? _secondPath;
    private readonly Func<string, string?, T> _parse;
    private readonly Lock _lock = new();
    private (DateTime, DateTime) _stamp;
    private long _checkedAt = long.MinValue;
    private T? _value;

    public ChangingFile(string path, string? secondPath, Func<string, string?, T> parse)
    {
        _path = path;
        _secondPath = secondPath;
        _parse = parse;
    }

    /// <summary>The value of the files as they are now; the first read's failure is thrown to the caller.</summary>
    public T? Current()
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (_value is not null && now - _checkedAt < (long)CheckInterval.TotalMilliseconds)
            {
                return _value;
            }

            _checkedAt = now;
            var stamp = (File.GetLastWriteTimeUtc(_path), _secondPath is null ? default : File.GetLastWriteTimeUtc(_secondPath));
            if (_value is not null && stamp == _stamp)
            {
                return _value;
            }

            try
            {
                _value = _parse(File.ReadAllText(_path), _secondPath is null ? null : File.ReadAllText(_secondPath));
                _stamp = stamp;
            }
            catch (Exception) when (_value is not null)
            {
                // Half-rotated: keep the last good value and look again at the next check.
            }

            return _value;
        }
    }
}
