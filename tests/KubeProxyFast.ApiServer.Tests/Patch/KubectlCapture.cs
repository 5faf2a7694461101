using KubeProxyFast.ApiServer.Patch;

namespace KubeProxyFast.ApiServer.Tests.Patch;

/// <summary>
/// A PATCH request kubectl sent, as Patch/Kubectl/capture.sh recorded it (<c>&lt;name&gt;.http</c>:
/// the request line, the Content-Type, a blank line, the body exactly as sent), and the live
/// objects the capture served (<c>&lt;file&gt;.json</c>).
/// </summary>
internal sealed record KubectlCapture(string Path, PatchType Type, string Body)
{
    private static readonly string Folder = System.IO.Path.Combine(AppContext.BaseDirectory, "Patch", "Kubectl");

    /// <summary>The request captured for command <paramref name="name"/> of commands.txt.</summary>
    public static KubectlCapture Read(string name)
    {
        var text = File.ReadAllText(System.IO.Path.Combine(Folder, name + ".http"));
        var head = text[..text.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
        Assert.StartsWith("PATCH ", head[0], StringComparison.Ordinal);
        Assert.StartsWith("Content-Type: ", head[1], StringComparison.Ordinal);
        Assert.True(PatchMediaTypes.TryParse(head[1]["Content-Type: ".Length..], out var type), $"{name}.http: not a patch type: {head[1]}");
        return new KubectlCapture(head[0]["PATCH ".Length..], type, text[(head[0].Length + head[1].Length + 3)..]);
    }

    /// <summary>A live object the capture served, as JSON text.</summary>
    public static string Live(string file) => File.ReadAllText(System.IO.Path.Combine(Folder, file));
}
