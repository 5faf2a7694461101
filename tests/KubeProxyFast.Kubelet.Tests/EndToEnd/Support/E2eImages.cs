using KubeProxyFast.Testing.Containerd;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

/// <summary>
/// The images the end-to-end tests run, from the runtime's fixtures: <see cref="TestImages.BusyboxArchive"/>
/// (busybox-static, built with the kubelet's own OciImageArchive) pre-loaded into a node's
/// <c>&lt;data-dir&gt;/agent/images/</c>, and the same image pushed to a <see cref="TestRegistry"/> inside the
/// node's namespace on 127.0.0.1:5000.
/// </summary>
internal static class E2eImages
{
    /// <summary>The registry's address inside a node's namespace.</summary>
    public const string Registry = "127.0.0.1:5000";

    /// <summary>The image only the archive in agent/images/ carries (no registry serves it in the node's namespace).</summary>
    public const string Offline = TestImages.BusyboxReference;

    /// <summary>Where <see cref="Offline"/> is pushed in the registry.</summary>
    public const string PushedRepository = "kpf/busybox:1";

    /// <summary>The image pushed to the registry.</summary>
    public const string Pushed = Registry + "/" + PushedRepository;

    /// <summary>An image the registry does not have.</summary>
    public const string Missing = Registry + "/kpf/missing:1";

    /// <summary>registries.yaml (k3s' shape) making the test registry a plain-HTTP one (as <see cref="TestRegistry.PlainHttp"/>).</summary>
    public const string RegistryConfig = """
        mirrors:
          "127.0.0.1:5000":
            endpoint:
              - "http://127.0.0.1:5000"
        """;
}
