using System.Threading.Channels;

namespace KubeProxyFast.Kubelet.Network;

/// <summary>
/// The wake-up of a level-based sync loop: any number of <see cref="Notify"/> calls between two
/// syncs make one sync; without any, the loop syncs anyway after its resync (or retry) period.
/// </summary>
internal sealed class ResyncSignal
{
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Something changed: the loop syncs soon.</summary>
    public void Notify() => _changes.Writer.TryWrite(true);

    /// <summary>
    /// Waits for a change or for <paramref name="wait"/> to pass, whichever comes first, and
    /// returns true (time to sync); returns false once <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(wait);
            try
            {
                await _changes.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The period passed without a change: sync anyway.
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        _changes.Reader.TryRead(out _);
        return true;
    }
}
