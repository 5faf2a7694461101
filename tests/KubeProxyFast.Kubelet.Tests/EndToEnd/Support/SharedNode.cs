using System.Diagnostics;
using KubeProxyFast.Testing;

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
    private Process? _registry;

    /// <summary>The node.</summary>
    public KubeletNode Node { get; private set; } = null!;

    /// <summary>Where the images were built (OCI layout, archive, registry storage); deleted at the end.</summary>
    public string ImagesDirectory { get; } = Directory.CreateTempSubdirectory("kpf-e2e-images-").FullName;

    /// <summary>The busybox docker-archive tagged <see cref="E2eImages.Offline"/>.</summary>
    public string ImageArchive { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ImageArchive = E2eImages.Build(ImagesDirectory);
        Node = await KubeletNode.StartAsync(new KubeletNodeOptions
        {
            NodeName = "e2e-node",
            ImageArchives = [ImageArchive],
            RegistryConfig = E2eImages.RegistryConfig,
        });
        _registry = await E2eImages.StartRegistryAsync(Node.Namespace, ImagesDirectory);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_registry is not null)
            {
                await ChildProcess.TerminateAsync(_registry, TimeSpan.FromSeconds(5));
                _registry.Dispose();
            }
        }
        finally
        {
            try
            {
                if (Node is not null)
                {
                    await Node.DisposeAsync();
                }
            }
            finally
            {
                Directory.Delete(ImagesDirectory, recursive: true);
            }
        }
    }
}
