using System.Globalization;
using System.Text;

namespace KubeProxyFast.Api.Serialization.Yaml;

/// <summary>
/// Where the writer is (<c>spec.ports[0].port</c>), kept as a stack of segments and turned into
/// text only for an error: building the text per node would allocate for every node an alias expands.
/// </summary>
internal sealed class YamlPath
{
    private readonly string?[] _names = new string?[YamlLimits.MaxDepth + 1];
    private readonly int[] _indexes = new int[YamlLimits.MaxDepth + 1];
    private int _count;

    /// <summary>Enters the field <paramref name="name"/>.</summary>
    public void Push(string name)
    {
        _names[_count] = name;
        _count++;
    }

    /// <summary>Enters the item at <paramref name="index"/>.</summary>
    public void Push(int index)
    {
        _names[_count] = null;
        _indexes[_count] = index;
        _count++;
    }

    /// <summary>Leaves the innermost field or item.</summary>
    public void Pop() => _count--;

    /// <summary>The path in Kubernetes' field notation; empty at the root.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _count; i++)
        {
            if (_names[i] is { } name)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(name);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"[{_indexes[i]}]");
            }
        }

        return text.ToString();
    }
}
