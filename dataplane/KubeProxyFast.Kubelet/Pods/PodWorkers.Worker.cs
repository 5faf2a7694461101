using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Pods;

public sealed partial class PodWorkers
{
    private async Task RunAsync(Worker worker)
    {
        var ct = _stopping.Token;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            Pod pod;
            bool removed;
            string[] liveness;
            lock (_lock)
            {
                pod = worker.Desired!;
                removed = worker.Removed;
                liveness = [.. worker.LivenessFailed];
            }

            var wait = _syncFrequency;
            try
            {
                if (removed)
                {
                    await _syncer.RemoveAsync(worker.Uid, null, ct).ConfigureAwait(false);
                    lock (_lock)
                    {
                        if (_workers.TryGetValue(worker.Uid, out var current) && current == worker)
                        {
                            _workers.Remove(worker.Uid);
                        }
                    }

                    Report(() => _sink.PodRemoved(worker.Uid), pod);
                    return;
                }

                var result = await _syncer.SyncAsync(pod, liveness, ct).ConfigureAwait(false);
                lock (_lock)
                {
                    foreach (var id in liveness)
                    {
                        worker.LivenessFailed.Remove(id);
                    }
                }

                failures = 0;
                if (result.Terminated)
                {
                    Report(() => _sink.PodTerminated(pod, result.State), pod);
                }
                else
                {
                    Report(() => _sink.PodSynced(pod, result.State), pod);
                }

                if (result.RequeueAfter is { } requeue && requeue < wait)
                {
                    wait = requeue;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a worker survives any failure of one sync: it retries
            catch (Exception e)
#pragma warning restore CA1031
            {
                wait = TimeSpan.FromSeconds(Math.Min(MaxErrorDelay.TotalSeconds, Math.Pow(2, failures)));
                failures++;
                PodsLog.SyncFailed(_logger, pod.Metadata.Namespace, pod.Metadata.Name, wait, e);
            }

            try
            {
                await worker.WaitAsync(wait, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Report(Action report, Pod pod)
    {
        try
        {
            report();
        }
#pragma warning disable CA1031 // the sink's failure must not stop the pod's worker
        catch (Exception e)
#pragma warning restore CA1031
        {
            PodsLog.SinkFailed(_logger, pod.Metadata.Namespace, pod.Metadata.Name, e);
        }
    }

    // SemaphoreSlim holds no kernel handle unless AvailableWaitHandle is read (it never is here).
#pragma warning disable CA1001
    private sealed class Worker(string uid)
#pragma warning restore CA1001
    {
        private readonly SemaphoreSlim _signal = new(0, 1);

        public string Uid { get; } = uid;

        public Pod? Desired { get; set; }

        public bool Removed { get; set; }

        public HashSet<string> LivenessFailed { get; } = [];

        public Task? Loop { get; set; }

        public void Signal()
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the next sync sees the latest anyway.
            }
        }

        public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var signalled = _signal.WaitAsync(cts.Token);
            var delay = Task.Delay(timeout, time, cts.Token);
            await Task.WhenAny(signalled, delay).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            await cts.CancelAsync().ConfigureAwait(false);
            // Observe both so neither faults unobserved; a signal consumed here is not lost: we sync now.
            try
            {
                await Task.WhenAll(signalled, delay).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
