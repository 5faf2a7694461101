using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>Deep copies and comparisons of status values through their JSON form (what the API stores and compares).</summary>
internal static class StatusCopy
{
    /// <summary>A deep copy of <paramref name="value"/>.</summary>
    public static T Of<T>(T value)
        where T : class => KubeJson.Deserialize<T>(KubeJson.SerializeToUtf8Bytes(value));

    /// <summary>The JSON form of <paramref name="value"/>, for equality.</summary>
    public static string Json<T>(T value) => KubeJson.Serialize(value);
}
