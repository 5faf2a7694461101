using System.Globalization;

namespace KubeProxyFast.ApiServer;

/// <summary>A kubeconfig that points kubectl and the client libraries at this apiserver.</summary>
public static class Kubeconfig
{
    /// <summary>
    /// The name of the cluster and context entries. There is no user entry: the apiserver has no
    /// authentication yet, and the official C# client refuses a user without credentials.
    /// </summary>
    public const string Name = "kpf";

    /// <summary>The kubeconfig text for <paramref name="server"/>.</summary>
    public static string Render(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {Name}
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
            contexts:
            - name: {Name}
              context:
                cluster: {Name}
                namespace: default
            current-context: {Name}
            users: []
            preferences: {"{}"}

            """);
    }

    /// <summary>
    /// Writes the kubeconfig to <paramref name="path"/> atomically (a temporary file renamed over
    /// it), readable by its owner only, as kubeconfigs hold credentials once there are any.
    /// </summary>
    public static void Write(string path, Uri server)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp");
        File.WriteAllText(temporary, Render(server));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
