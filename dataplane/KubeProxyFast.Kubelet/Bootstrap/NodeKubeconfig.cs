using System.Text;
using System.Text.Json;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// The node's <c>kubelet.kubeconfig</c>: the server, the pinned CA, and the client certificate and
/// key as file paths (not data), so clients reading it reload them after each rotation.
/// </summary>
internal static class NodeKubeconfig
{
    /// <summary>Writes it (0600, atomically) for <paramref name="server"/> and the node <paramref name="nodeName"/>.</summary>
    public static void Write(NodeCredentialPaths paths, Uri server, string nodeName)
    {
        var user = NodeCertificateRequest.UserOf(nodeName);
        // Every scalar is a double-quoted string with JSON escapes, which YAML reads as the same string whatever it holds.
        var text = new StringBuilder()
            .Append("apiVersion: v1\nkind: Config\n")
            .Append("clusters:\n- name: kpf\n  cluster:\n")
            .Append("    server: ").Append(Quote(server.ToString().TrimEnd('/'))).Append('\n')
            .Append("    certificate-authority: ").Append(Quote(paths.ServerCa)).Append('\n')
            .Append("users:\n- name: ").Append(Quote(user)).Append("\n  user:\n")
            .Append("    client-certificate: ").Append(Quote(paths.ClientCertificate)).Append('\n')
            .Append("    client-key: ").Append(Quote(paths.ClientKey)).Append('\n')
            .Append("contexts:\n- name: kpf\n  context:\n    cluster: kpf\n    user: ").Append(Quote(user)).Append('\n')
            .Append("current-context: kpf\n")
            .ToString();
        PemFiles.WriteOwnerOnly(paths.Kubeconfig, text);
    }

    private static string Quote(string value) => "\"" + JsonEncodedText.Encode(value).Value + "\"";
}
