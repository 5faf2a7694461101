using KubeProxyFast.Api.Core;
using V1Endpoints = KubeProxyFast.Api.Core.Endpoints;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>The informers' handlers: each turns a change into the keys of the services to sync.</summary>
public sealed partial class EndpointsController
{
    private void OnServiceChanged(Service service)
    {
        _selectors.Update(service);
        _queue.Add(KeyOf(service.Metadata.Namespace, service.Metadata.Name));
    }

    private void OnServiceDeleted(Service service)
    {
        _selectors.Remove(service);
        _queue.Add(KeyOf(service.Metadata.Namespace, service.Metadata.Name));
    }

    private void OnEndpointsDeleted(V1Endpoints endpoints) =>
        _queue.Add(KeyOf(endpoints.Metadata.Namespace, endpoints.Metadata.Name));

    private void OnPodAdded(Pod pod) => EnqueueServicesOf(pod.Metadata.Namespace ?? "", pod.Metadata.Labels, null, union: true);

    private void OnPodDeleted(Pod pod) => EnqueueServicesOf(pod.Metadata.Namespace ?? "", pod.Metadata.Labels, null, union: true);

    /// <summary>
    /// As Kubernetes' GetServicesToUpdateOnPodChange: nothing for a resync or a change that
    /// concerns no Endpoints; the services of the new labels when only the pod changed; when the
    /// labels changed, the services of either label set if the pod changed too, else only those
    /// it joined or left.
    /// </summary>
    private void OnPodUpdated(Pod old, Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
        {
            // A resync: the service informer's resync (if any) covers every service.
            return;
        }

        var labelsChanged = !EndpointsEquality.LabelsEqual(old.Metadata.Labels, pod.Metadata.Labels);
        var podChanged = EndpointPod.From(old).EndpointsDiffer(EndpointPod.From(pod));
        if (!labelsChanged && !podChanged)
        {
            return;
        }

        var ns = pod.Metadata.Namespace ?? "";
        EnqueueServicesOf(ns, pod.Metadata.Labels, labelsChanged ? old.Metadata.Labels : null, union: podChanged);
    }

    private void EnqueueServicesOf(string ns, Dictionary<string, string>? labels, Dictionary<string, string>? oldLabels, bool union)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        _selectors.AddMatching(ns, labels, keys);
        if (oldLabels is not null)
        {
            var old = new HashSet<string>(StringComparer.Ordinal);
            _selectors.AddMatching(ns, oldLabels, old);
            if (union)
            {
                keys.UnionWith(old);
            }
            else
            {
                keys.SymmetricExceptWith(old);
            }
        }

        foreach (var key in keys)
        {
            _queue.AddAfter(key, _options.EndpointUpdatesBatchPeriod);
        }
    }
}
