using System.Globalization;
using System.Text;

namespace KubeProxyFast.Api.Validation;

/// <summary>
/// A path to a field of an object, printed as Kubernetes prints it:
/// <c>spec.ports[0].port</c>, <c>metadata.labels[app]</c>.
/// </summary>
public sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string _segment;
    private readonly bool _isIndex;

    private FieldPath(FieldPath? parent, string segment, bool isIndex)
    {
        _parent = parent;
        _segment = segment;
        _isIndex = isIndex;
    }

    /// <summary>A path starting at the field <paramref name="name"/>.</summary>
    public static FieldPath Root(string name) => new(null, name, isIndex: false);

    /// <summary>The path of a child field.</summary>
    public FieldPath Child(string name) => new(this, name, isIndex: false);

    /// <summary>The path of an array element.</summary>
    public FieldPath Index(int index) => new(this, index.ToString(CultureInfo.InvariantCulture), isIndex: true);

    /// <summary>The path of a map entry.</summary>
    public FieldPath Key(string key) => new(this, key, isIndex: true);

    /// <inheritdoc/>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    private void Append(StringBuilder builder)
    {
        if (_parent is not null)
        {
            _parent.Append(builder);
            if (!_isIndex)
            {
                builder.Append('.');
            }
        }

        if (_isIndex)
        {
            builder.Append('[').Append(_segment).Append(']');
        }
        else
        {
            builder.Append(_segment);
        }
    }
}
