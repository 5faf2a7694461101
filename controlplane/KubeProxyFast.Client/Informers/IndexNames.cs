using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Client.Informers;

/// <summary>Names and functions of the built-in indexes.</summary>
public static class IndexNames
{
    /// <summary><c>metadata.namespace</c>: every informer has it (cluster-scoped objects are under "").</summary>
    public const string Namespace = "namespace";

    /// <summary><c>spec.nodeName</c>: informers of pods have it (unbound pods are under "").</summary>
    public const string NodeName = "spec.nodeName";

    internal static string[] NodeNameOf(Pod pod) => [pod.Spec?.NodeName ?? ""];
}
