using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.ControlPlane;

/// <summary>Reads of the cluster the end-to-end tests wait on: the pods of a selector, where they are bound.</summary>
internal static class ClusterState
{
    /// <summary>Pods of <paramref name="selector"/> in <paramref name="ns"/> not being deleted.</summary>
    public static async Task<List<Pod>> LivePodsAsync(KubeClient client, string ns, string selector) =>
        [.. (await client.ListAsync<Pod>(ns, new ListOptions { LabelSelector = selector })).Items.Where(p => p.Metadata.DeletionTimestamp is null)];

    /// <summary>Waits until exactly <paramref name="count"/> live pods of <paramref name="selector"/> exist and all are bound (and <paramref name="accept"/> holds); returns them.</summary>
    public static async Task<List<Pod>> WaitBoundAsync(KubeClient client, string ns, string selector, int count, TimeSpan within, Func<List<Pod>, bool>? accept = null)
    {
        var pods = new List<Pod>();
        await Eventually.True(async () =>
        {
            pods = await LivePodsAsync(client, ns, selector);
            return pods.Count == count && pods.All(p => !string.IsNullOrEmpty(p.Spec?.NodeName)) && (accept is null || accept(pods));
        }, $"{count} pods of {selector} bound", within);
        return pods;
    }

    /// <summary>The object, or null while it does not exist.</summary>
    public static async Task<T?> TryGetAsync<T>(KubeClient client, string? ns, string name)
        where T : KubeObject
    {
        try
        {
            return await client.GetAsync<T>(ns, name);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>A replication controller of <paramref name="replicas"/> pods labelled <c>app=<paramref name="name"/></c>, each requesting 100m cpu and 64 Mi.</summary>
    public static string ReplicationControllerManifest(string name, int replicas) => $$"""
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: {{name}}
        spec:
          replicas: {{replicas}}
          selector:
            app: {{name}}
          template:
            metadata:
              labels:
                app: {{name}}
            spec:
              containers:
              - name: {{name}}
                image: nginx:1.25
                ports:
                - containerPort: 80
                resources:
                  requests:
                    cpu: 100m
                    memory: 64Mi
        """;

    /// <summary>How many of <paramref name="pods"/> each node holds, in ascending order (2/2/1 reads [1, 2, 2]).</summary>
    public static int[] SpreadOf(IEnumerable<Pod> pods) =>
        [.. pods.GroupBy(p => p.Spec!.NodeName).Select(g => g.Count()).Order()];
}
