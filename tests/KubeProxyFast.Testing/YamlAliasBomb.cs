using System.Text;

namespace KubeProxyFast.Testing;

/// <summary>
/// "Billion laughs" in a manifest: nine levels of nine aliases each under
/// <c>metadata.annotations</c>, 9^9 (387 million) strings once expanded, in about 700 bytes,
/// as the attack pass sent it to <c>kpf server</c> and <c>kpf proxy --config</c>.
/// </summary>
public static class YamlAliasBomb
{
    /// <summary>A manifest of <paramref name="kind"/> named <paramref name="name"/> carrying the bomb.</summary>
    public static string Manifest(string kind, string name)
    {
        var yaml = new StringBuilder($"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n");
        yaml.Append("    lol0: &lol0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 1; level < 9; level++)
        {
            yaml.Append($"    lol{level}: &lol{level} [{string.Join(", ", Enumerable.Repeat($"*lol{level - 1}", 9))}]\n");
        }

        return yaml.ToString();
    }
}
