namespace KubeProxyFast.Api.Serialization;

/// <summary>An API group and one of its versions: <c>("", "v1")</c> is the core group, <c>("coordination.k8s.io", "v1")</c> a named one.</summary>
/// <param name="Group">The group; empty for the core (legacy) group served under <c>/api</c>.</param>
/// <param name="Version">The version, e.g. <c>v1</c>.</param>
public readonly record struct GroupVersion(string Group, string Version)
{
    /// <summary>The core group's only version, served under <c>/api/v1</c>.</summary>
    public static GroupVersion CoreV1 { get; } = new("", "v1");

    /// <summary>True for the core group (paths under <c>/api</c>, apiVersion without a group).</summary>
    public bool IsCore => Group.Length == 0;

    /// <summary>The REST path of the group version: <c>/api/v1</c> or <c>/apis/coordination.k8s.io/v1</c>.</summary>
    public string Path => IsCore ? "/api/" + Version : "/apis/" + Group + "/" + Version;

    /// <summary>The <c>apiVersion</c> of its objects: <c>v1</c> or <c>coordination.k8s.io/v1</c>.</summary>
    public override string ToString() => IsCore ? Version : Group + "/" + Version;
}
