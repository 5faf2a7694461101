using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Authorization.Node;

/// <summary>The kinds of object a pod can make readable to the node it is bound to.</summary>
internal enum ReferencedKind : byte
{
    /// <summary>A Secret (volume, env secretKeyRef).</summary>
    Secret,

    /// <summary>A ConfigMap (volume, env configMapKeyRef).</summary>
    ConfigMap,
}

/// <summary>An object a pod refers to, in the pod's namespace.</summary>
internal readonly record struct ObjectReference(ReferencedKind Kind, string Namespace, string Name);

/// <summary>
/// The Secrets and ConfigMaps a pod refers to, as Kubernetes' <c>VisitPodSecretNames</c> and
/// <c>VisitPodConfigmapNames</c> find them, over what our Pod model has: secret and configMap
/// volumes, and containers' env <c>valueFrom.secretKeyRef</c> / <c>configMapKeyRef</c>.
/// </summary>
internal static class PodReferences
{
    /// <summary>The distinct references of <paramref name="pod"/>; empty when it refers to none.</summary>
    public static ObjectReference[] Of(Pod pod)
    {
        var ns = pod.Metadata.Namespace ?? "";
        var spec = pod.Spec;
        if (spec is null)
        {
            return [];
        }

        // Few references per pod: a list with a linear duplicate check beats a set's allocations.
        List<ObjectReference>? found = null;
        foreach (var volume in spec.Volumes ?? [])
        {
            Add(ref found, ReferencedKind.Secret, ns, volume.Secret?.SecretName);
            Add(ref found, ReferencedKind.ConfigMap, ns, volume.ConfigMap?.Name);
        }

        foreach (var container in spec.Containers ?? [])
        {
            foreach (var env in container.Env ?? [])
            {
                Add(ref found, ReferencedKind.Secret, ns, env.ValueFrom?.SecretKeyRef?.Name);
                Add(ref found, ReferencedKind.ConfigMap, ns, env.ValueFrom?.ConfigMapKeyRef?.Name);
            }
        }

        return found is null ? [] : [.. found];
    }

    private static void Add(ref List<ObjectReference>? found, ReferencedKind kind, string ns, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var reference = new ObjectReference(kind, ns, name);
        found ??= [];
        if (!found.Contains(reference))
        {
            found.Add(reference);
        }
    }
}
