using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

/// <summary>
/// The end-to-end tests run one after another (a node is a containerd, a kubelet and a server on a
/// 2-core machine) and share one node, started once: the busybox archive pre-loaded into its
/// agent/images/, and a registry inside its namespace (plain HTTP through <c>--registry-config</c>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedNodeGroup : ICollectionFixture<SharedNode>
{
    public const string Name = "kubelet end-to-end";
}

/// <summary>The node the <see cref="SharedNodeGroup"/> shares (see there).</summary>
public sealed class SharedNode : IAsyncLifetime
{
    private TestRegistry? _registry;

    /// <summary>The node.</summary>
    public KubeletNode Node { get; private set; } = null!;

    /// <summary>The busybox archive named <see cref="E2eImages.Offline"/>.</summary>
    public string ImageArchive { get; } = TestImages.BusyboxArchive;

    public async Task InitializeAsync()
    {
        Node = await KubeletNode.StartAsync(new KubeletNodeOptions
        {
            NodeName = "e2e-node",
            ImageArchives = [ImageArchive],
            RegistryConfig = E2eImages.RegistryConfig,
        });
        _registry = await TestRegistry.StartAsync(Node.Namespace, 5000);
        await _registry.PushAsync(ImageArchive, E2eImages.PushedRepository);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_registry is not null)
            {
                await _registry.DisposeAsync();
            }
        }
        finally
        {
            if (Node is not null)
            {
                await Node.DisposeAsync();
            }
        }
    }
}
