using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// Compacts the store's history as kube-apiserver does: every interval, up to the revision seen
/// one interval earlier, so a watch or continued list may lag by up to one interval and no more.
/// </summary>
internal sealed partial class Compactor : IAsyncDisposable
{
    private readonly IStore _store;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public Compactor(IStore store, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _store = store;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        long previous = 0;
        while (true)
        {
            await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            try
            {
                if (previous > 0)
                {
                    await _store.CompactAsync(previous, cancellationToken).ConfigureAwait(false);
                }

                previous = (await _store.ListAsync(StoreKeys.Root + "compaction", new StoreListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false)).Revision;
            }
            catch (StoreException e)
            {
                LogFailed(_logger, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "compaction failed: {Error}; trying again next interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
