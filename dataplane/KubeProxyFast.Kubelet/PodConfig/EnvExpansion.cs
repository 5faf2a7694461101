using System.Text;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// Kubernetes' <c>$(VAR)</c> expansion of env values, commands and args: <c>$(NAME)</c> is replaced
/// by the variable's value when it is known and kept verbatim when not; <c>$$</c> is a literal
/// <c>$</c> (so <c>$$(NAME)</c> gives <c>$(NAME)</c>); a <c>$</c> before anything else, or an
/// unclosed <c>$(</c>, is kept as written.
/// </summary>
public static class EnvExpansion
{
    /// <summary>Expands the references in <paramref name="input"/>; <paramref name="lookup"/> gives a variable's value or null when unknown.</summary>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        var dollar = input.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0 || dollar == input.Length - 1)
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        output.Append(input, 0, dollar);
        var i = dollar;
        while (i < input.Length)
        {
            var c = input[i];
            if (c != '$' || i + 1 == input.Length)
            {
                output.Append(c);
                i++;
                continue;
            }

            var next = input[i + 1];
            if (next == '$')
            {
                // Escaped operator.
                output.Append('$');
                i += 2;
            }
            else if (next == '(')
            {
                var close = input.IndexOf(')', i + 2);
                if (close < 0)
                {
                    // An unclosed reference is text.
                    output.Append("$(");
                    i += 2;
                    continue;
                }

                var name = input[(i + 2)..close];
                var value = lookup(name);
                output.Append(value ?? "$(" + name + ")");
                i = close + 1;
            }
            else
            {
                // '$' not starting a reference: kept with the character after it.
                output.Append('$').Append(next);
                i += 2;
            }
        }

        return output.ToString();
    }

    /// <summary>Expands each of <paramref name="items"/> (a container's command or args) against the container's final environment, as Kubernetes' <c>ExpandContainerCommandAndArgs</c>.</summary>
    public static List<string> ExpandAll(IEnumerable<string>? items, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (items is null)
        {
            return [];
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            map[name] = value;
        }

        return items.Select(item => Expand(item, name => map.GetValueOrDefault(name))).ToList();
    }
}
