namespace KubeProxyFast.Api.Serialization;

/// <summary>A subresource of a kind (<c>pods/status</c>, <c>replicationcontrollers/scale</c>) as discovery lists it.</summary>
/// <param name="Name">The path segment after the object's name, e.g. <c>status</c>.</param>
/// <param name="ResponseKind">The group version of what it answers: the owner's, or another (<c>autoscaling/v1</c> Scale).</param>
/// <param name="Kind">The kind it answers with, e.g. <c>Scale</c>, <c>Binding</c>, <c>PodProxyOptions</c>.</param>
/// <param name="Verbs">The verbs it serves.</param>
public sealed record SubresourceInfo(string Name, GroupVersion ResponseKind, string Kind, IReadOnlyList<string> Verbs);
