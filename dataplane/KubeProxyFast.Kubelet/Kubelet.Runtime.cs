using System.ComponentModel;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Kubelet.Runtime;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet;

// The container runtime: the one named by --container-runtime-endpoint, else our own containerd
// (Runtime/EmbeddedContainerd) under <data>/agent/containerd; then the image archives of
// <data>/agent/images and, unless --pod-infra-container-image names one, the sandbox image we build.
public sealed partial class Kubelet
{
    /// <summary>The embedded containerd; null when the kubelet uses a runtime of its own choosing.</summary>
    public EmbeddedContainerd? Containerd { get; private set; }

    /// <summary>The sandbox (pause) image every pod's sandbox runs.</summary>
    public string SandboxImageReference => Options.PodInfraContainerImage ?? SandboxImage.DefaultReference;

    private async Task StartRuntimeAsync(KubeletLayout layout, CancellationToken cancellationToken)
    {
        if (Options.ContainerRuntimeEndpoint is { } endpoint)
        {
            RuntimeEndpoint = endpoint;
            return;
        }

        RegistryConfig registry;
        try
        {
            registry = Options.RegistryConfigPath is { } path ? RegistryConfig.Load(path) : RegistryConfig.Empty;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new KubeletStartException($"--registry-config {Options.RegistryConfigPath}: {e.Message}", e);
        }

        var config = ContainerdConfig.ForDataDirectory(Options.DataDirectory, SandboxImageReference, Options.CniBinDirectory, registry);
        var containerd = new EmbeddedContainerd(config, LoggerFactory.CreateLogger<EmbeddedContainerd>(),
            new EmbeddedContainerdOptions { ContainerdPath = Options.ContainerdPath }, Time);
        _cleanup.Add(containerd.DisposeAsync);
        try
        {
            await containerd.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CriUnavailableException e)
        {
            throw new KubeletStartException($"the embedded containerd did not start: {e.Message}", e);
        }
        catch (Win32Exception e)
        {
            throw new KubeletStartException($"cannot run {Options.ContainerdPath} (is containerd installed?): {e.Message}", e);
        }

        Containerd = containerd;
        RuntimeEndpoint = containerd.Endpoint;
        _ = layout;
    }

    /// <summary>
    /// Imports <c>agent/images/*.tar</c> (a bad archive is logged, the others still imported) and,
    /// when the sandbox image is ours, builds and imports it: pods need no registry to start.
    /// </summary>
    private async Task PrepareImagesAsync(KubeletLayout layout, CancellationToken cancellationToken)
    {
        var importer = new ImageArchiveImporter(CriConnection.SocketPathOf(RuntimeEndpoint), LoggerFactory.CreateLogger<ImageArchiveImporter>());
        try
        {
            await importer.ImportDirectoryAsync(layout.Images, cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException e)
        {
            // Each failure was logged by the importer naming its file; the node still starts.
            KubeletLog.ImagesNotImported(_logger, layout.Images, e.InnerExceptions.Count);
        }

        if (Options.PodInfraContainerImage is not null)
        {
            return;
        }

        var archive = Path.Combine(layout.Agent, "kpf-pause.tar");
        try
        {
            SandboxImage.WriteArchive(archive);
            await importer.ImportAsync(archive, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ImageImportException or IOException or InvalidOperationException)
        {
            throw new KubeletStartException($"cannot provide the sandbox image {SandboxImage.DefaultReference}: {e.Message}", e);
        }
    }
}
