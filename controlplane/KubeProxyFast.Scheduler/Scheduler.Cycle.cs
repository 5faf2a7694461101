using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Scheduler.Queue;

namespace KubeProxyFast.Scheduler;

/// <summary>The scheduling cycle (one pod at a time) and the binding cycle (many at once), as Kubernetes' <c>scheduleOne</c>.</summary>
public sealed partial class Scheduler
{
    private readonly Lock _bindingsLock = new();
    private readonly HashSet<Task> _bindings = [];

    private async Task ScheduleLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (QueuedPod Pod, long Cycle)? next;
            try
            {
                next = await _queue.PopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (next is not { } popped)
            {
                return;
            }

            var (queued, cycle) = popped;
            try
            {
                await ScheduleOneAsync(queued, cycle, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug in one pod's cycle must not stop scheduling: the pod backs off and is retried.
                SchedulerLog.CycleFailed(_logger, queued.Info.Key, e);
                _cache.ForgetPod(queued.Info.Key, cycle);
                _queue.AddFailed(queued, cycle, unschedulable: false);
                _metrics.Observe(SchedulerMetrics.Error, 0);
            }
        }
    }

    private async Task ScheduleOneAsync(QueuedPod queued, long cycle, CancellationToken cancellationToken)
    {
        var pod = queued.Info;
        var start = _time.GetTimestamp();
        if (pod.Terminating)
        {
            _queue.Done(pod.Key);
            return;
        }

        var selector = _spread.For(pod);
        string? nodeName;
        string? failure = null;
        lock (_cache.Gate)
        {
            nodeName = _algorithm.Schedule(pod, _cache.Nodes, selector)?.Name;
            if (nodeName is null)
            {
                failure = _algorithm.FailureMessage(_cache.Nodes);
            }
            else
            {
                _cache.AssumePod(pod, nodeName, cycle);
            }
        }

        if (nodeName is null)
        {
            _metrics.Observe(SchedulerMetrics.Unschedulable, _time.GetElapsedTime(start).TotalSeconds);
            SchedulerLog.Unschedulable(_logger, pod.Key, failure!);
            _recorder.Event(pod.Pod, "Warning", "FailedScheduling", failure!);

            // Kubernetes' handleSchedulingFailure: the condition is written before the pod is queued
            // again, so the next attempt does not race the patch of this one.
            await WriteUnschedulableConditionAsync(pod.Pod, failure!, cancellationToken).ConfigureAwait(false);
            _queue.AddFailed(queued, cycle, unschedulable: true);
            return;
        }

        // Backpressure: at most MaxConcurrentBindings in flight; the next cycle waits for a slot.
        await _bindSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Track(BindAsync(queued, cycle, nodeName, start));
    }

    private async Task BindAsync(QueuedPod queued, long cycle, string nodeName, long start)
    {
        var pod = queued.Info;
        Exception? failure = null;
        try
        {
            await _client.BindAsync(pod.Namespace, pod.Name, nodeName, pod.Pod.Metadata.Uid, _stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever the cause (apiserver refused or away, term ended, a bug), the pod is forgotten
            // and retried; a binding task never faults, so it cannot fail the term.
            failure = e;
        }
        finally
        {
            _bindSlots.Release();
        }

        if (failure is null)
        {
            _cache.FinishBinding(pod.Key, _time.GetUtcNow() + _options.AssumedPodTimeToLive);
            _queue.Done(pod.Key);
            _metrics.Observe(SchedulerMetrics.Scheduled, _time.GetElapsedTime(start).TotalSeconds);
            _recorder.Event(pod.Pod, "Normal", "Scheduled", $"Successfully assigned {pod.Namespace}/{pod.Name} to {nodeName}");
            return;
        }

        _cache.ForgetPod(pod.Key, cycle);
        _metrics.Observe(SchedulerMetrics.Error, _time.GetElapsedTime(start).TotalSeconds);
        if (failure is KubeApiException { IsNotFound: true } or KubeApiException { Code: 409 })
        {
            // Deleted meanwhile, or bound by someone else: the watch tells the rest.
            _queue.Done(pod.Key);
            return;
        }

        _queue.AddFailed(queued, cycle, unschedulable: false);
        if (failure is OperationCanceledException && _stopping.IsCancellationRequested)
        {
            // The term ended: the next leader schedules it.
            return;
        }

        SchedulerLog.BindFailed(_logger, pod.Key, nodeName, failure);
        _recorder.Event(pod.Pod, "Warning", "FailedScheduling", "Binding rejected: " + failure.Message);
    }

    /// <summary>The pod's <c>PodScheduled</c> condition False, reason <c>Unschedulable</c>, with the message; written only when it changes.</summary>
    private async Task WriteUnschedulableConditionAsync(Pod pod, string message, CancellationToken cancellationToken)
    {
        var existing = pod.Status?.Conditions?.Find(c => c.Type == PodConditionTypes.PodScheduled);
        if (existing is { Status: "False", Reason: "Unschedulable" } && existing.Message == message)
        {
            return;
        }

        var transition = existing is { Status: "False", LastTransitionTime: { } kept } ? kept : _time.GetUtcNow();
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("status");
            json.WriteStartArray("conditions");
            json.WriteStartObject();
            json.WriteString("type", PodConditionTypes.PodScheduled);
            json.WriteString("status", "False");
            json.WriteNull("lastProbeTime");
            json.WriteString("lastTransitionTime", transition.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("reason", "Unschedulable");
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        try
        {
            await _client.PatchStatusAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name ?? "", PatchType.StrategicMerge, Encoding.UTF8.GetString(buffer.WrittenSpan), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The term ended: the next leader writes it.
        }
        catch (Exception e)
        {
            // Gone, or the apiserver is away: the next attempt writes it again.
            if (e is not KubeApiException { IsNotFound: true })
            {
                SchedulerLog.StatusFailed(_logger, pod.Metadata.Namespace + "/" + pod.Metadata.Name, e);
            }
        }
    }

    private void Track(Task task)
    {
        lock (_bindingsLock)
        {
            _bindings.Add(task);
        }

        task.ContinueWith(
            t =>
            {
                lock (_bindingsLock)
                {
                    _bindings.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task WaitForBindingsAsync()
    {
        Task[] pending;
        lock (_bindingsLock)
        {
            pending = [.. _bindings];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }
}
