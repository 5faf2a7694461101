using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers.Replication;
using V1Endpoints = KubeProxyFast.Api.Core.Endpoints;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>One sync of one service's Endpoints (Kubernetes' syncService).</summary>
public sealed partial class EndpointsController
{
    /// <summary>The time of the change that triggered the Endpoints' last change (RFC 3339 with nanoseconds).</summary>
    public const string LastChangeTriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";

    /// <summary>The label on the Endpoints of a service without a cluster IP.</summary>
    public const string HeadlessServiceLabel = "service.kubernetes.io/headless";

    // Leader-election records that old components kept in Endpoints (client-go's resourcelock).
    private const string LeaderElectionRecordAnnotation = "control-plane.alpha.kubernetes.io/leader";

    private const string WarningEvent = "Warning";

    private async Task SyncServiceAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var ns = slash < 0 ? "" : key[..slash];
        var name = key[(slash + 1)..];
        if (ns == "default" && name == "kubernetes")
        {
            // The apiserver reconciles the kubernetes Service's Endpoints (its own addresses); never ours to touch.
            return;
        }

        var service = _services.Lister.Get(ns, name);
        if (service is null)
        {
            await DeleteEndpointsAsync(key, ns, name, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (service.Spec is not { } spec || spec.Type == ServiceTypes.ExternalName || spec.Selector is not { Count: > 0 } selector)
        {
            // No selector: the Endpoints are written out of band, by the user. ExternalName services get none.
            return;
        }

        var pods = _podCache.Select(ns, selector);
        // Computed before deciding whether to write, so the tracker's state follows every sync.
        var triggerTime = _triggerTimes.Compute(key, service.Metadata.CreationTimestamp, pods);
        var subsets = EndpointSubsetsBuilder.Build(service, pods);
        var truncated = EndpointsCapacity.Truncate(subsets);

        var current = _endpoints.Lister.Get(ns, name);
        if (current is not null && _stale.IsStale(key, current.Metadata.ResourceVersion))
        {
            throw new InvalidOperationException($"endpoints informer cache is out of date, resource version {current.Metadata.ResourceVersion} already processed for endpoints {key}");
        }

        if (current is not null
            && EndpointsEquality.SubsetsEqual(current.Subsets, subsets)
            && EndpointsEquality.LabelsEqual(WithoutHeadlessLabel(current.Metadata.Labels), service.Metadata.Labels)
            && (current.Metadata.Annotations?.ContainsKey(EndpointsCapacity.OverCapacityAnnotation) ?? false) == truncated)
        {
            return;
        }

        var desired = current ?? new V1Endpoints { Kind = "Endpoints", ApiVersion = "v1", Metadata = new ObjectMeta { Name = name, Namespace = ns } };
        desired.Subsets = subsets.Count > 0 ? subsets : null;
        desired.Metadata.Labels = LabelsFor(service);
        desired.Metadata.Annotations = AnnotationsFor(current?.Metadata.Annotations, triggerTime, truncated);
        var addressCount = EndpointsCapacity.CountAddresses(subsets);
        EndpointsLog.Writing(_logger, key, addressCount, subsets.Count);
        try
        {
            if (current is null)
            {
                await _client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                return;
            }

            var updated = await _client.UpdateAsync(desired, cancellationToken).ConfigureAwait(false);
            if (updated.Metadata.ResourceVersion != current.Metadata.ResourceVersion && current.Metadata.ResourceVersion is { } replaced)
            {
                _stale.Replaced(key, replaced);
            }
        }
        catch (KubeApiException e) when (current is null && PodControl.IsNamespaceTerminating(e))
        {
            // The namespace is going away and the Endpoints with it: nothing to report or retry.
            return;
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException)
        {
            if (current is null)
            {
                _recorder.Event(desired, WarningEvent, "FailedToCreateEndpoint", $"Failed to create endpoint for service {ns}/{name}: {e.Message}");
            }
            else
            {
                _recorder.Event(desired, WarningEvent, "FailedToUpdateEndpoint", $"Failed to update endpoint {ns}/{name}: {e.Message}");
            }

            throw;
        }
    }

    private async Task DeleteEndpointsAsync(string key, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<V1Endpoints>(ns, name, null, cancellationToken).ConfigureAwait(false);
            EndpointsLog.Deleted(_logger, key);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Already gone (or never written): nothing to do.
        }

        _triggerTimes.Delete(key);
        _stale.Delete(key);
    }

    /// <summary>The service's labels, plus <see cref="HeadlessServiceLabel"/> when it has no cluster IP (as Kubernetes).</summary>
    private static Dictionary<string, string> LabelsFor(Service service)
    {
        var labels = service.Metadata.Labels is { } own ? new Dictionary<string, string>(own, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
        if (service.Spec?.ClusterIP is null or "" or EndpointSubsetsBuilder.ClusterIPNone)
        {
            labels[HeadlessServiceLabel] = "";
        }
        else
        {
            labels.Remove(HeadlessServiceLabel);
        }

        return labels;
    }

    private static Dictionary<string, string>? WithoutHeadlessLabel(Dictionary<string, string>? labels)
    {
        if (labels is null || !labels.ContainsKey(HeadlessServiceLabel))
        {
            return labels;
        }

        var copy = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        copy.Remove(HeadlessServiceLabel);
        return copy;
    }

    private static Dictionary<string, string>? AnnotationsFor(Dictionary<string, string>? current, DateTimeOffset? triggerTime, bool truncated)
    {
        var annotations = current ?? new Dictionary<string, string>(StringComparer.Ordinal);
        if (triggerTime is { } time)
        {
            annotations[LastChangeTriggerTimeAnnotation] = TriggerTimeTracker.Format(time);
        }
        else
        {
            annotations.Remove(LastChangeTriggerTimeAnnotation);
        }

        if (truncated)
        {
            annotations[EndpointsCapacity.OverCapacityAnnotation] = EndpointsCapacity.Truncated;
        }
        else
        {
            annotations.Remove(EndpointsCapacity.OverCapacityAnnotation);
        }

        return annotations.Count > 0 ? annotations : null;
    }
}
