using KubeProxyFast.Client.WorkQueue;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// The worker loop the certificate controllers share, as Kubernetes' <c>certificates.CertificateController</c>
/// they are all built on: each worker takes a request's name, syncs it, forgets it on success and
/// puts it back with the queue's backoff on failure; on stop the queue drains.
/// </summary>
internal static class CsrWorkers
{
    public static async Task RunAsync(
        RateLimitingQueue<string> queue, int workers, Func<string, CancellationToken, Task> sync, Action<string, Exception> failed, CancellationToken cancellationToken)
    {
        var tasks = new Task[Math.Max(1, workers)];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => WorkAsync(queue, sync, failed, cancellationToken), CancellationToken.None);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await queue.ShutDownWithDrainAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task WorkAsync(RateLimitingQueue<string> queue, Func<string, CancellationToken, Task> sync, Action<string, Exception> failed, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (name, shuttingDown) = await queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shuttingDown)
            {
                return;
            }

            try
            {
                await sync(name, cancellationToken).ConfigureAwait(false);
                queue.Forget(name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the key is dropped with the queue.
            }
#pragma warning disable CA1031 // A worker outlives any failure of one sync: it is logged and retried with backoff.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed(name, e);
                queue.AddRateLimited(name);
            }
            finally
            {
                queue.Done(name);
            }
        }
    }
}
