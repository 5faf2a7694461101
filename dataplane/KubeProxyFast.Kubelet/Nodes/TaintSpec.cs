using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// <c>--register-with-taints</c> entries as Kubernetes parses them (<c>ParseTaint</c>):
/// <c>key=value:Effect</c> or <c>key:Effect</c>, the key a qualified name, the value a label value,
/// the effect one of <c>NoSchedule</c>, <c>PreferNoSchedule</c>, <c>NoExecute</c> (case as written);
/// two taints with one key and effect are refused.
/// </summary>
public static class TaintSpec
{
    /// <summary>The effects a taint may have.</summary>
    public static IReadOnlyList<string> Effects { get; } = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    /// <summary>The taints of <paramref name="specs"/>, in order.</summary>
    /// <exception cref="FormatException">An entry is malformed (the message quotes it and says why), or two repeat a key and effect.</exception>
    public static List<Taint> ParseAll(IEnumerable<string> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var taints = new List<Taint>();
        foreach (var spec in specs)
        {
            var taint = Parse(spec);
            if (taints.Exists(t => t.Key == taint.Key && t.Effect == taint.Effect))
            {
                throw new FormatException($"\"{spec}\": duplicated taint: key {taint.Key} with effect {taint.Effect} is given twice");
            }

            taints.Add(taint);
        }

        return taints;
    }

    /// <summary>One taint from <c>key=value:Effect</c> or <c>key:Effect</c>.</summary>
    /// <exception cref="FormatException">The entry is malformed; the message quotes it and says why.</exception>
    public static Taint Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':');
        if (parts.Length != 2)
        {
            throw new FormatException($"\"{spec}\": invalid taint spec: expected key=value:Effect or key:Effect");
        }

        var effect = parts[1];
        if (!Effects.Contains(effect))
        {
            throw new FormatException($"\"{spec}\": invalid taint effect \"{effect}\": must be one of {string.Join(", ", Effects)}");
        }

        var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? parts[0] : parts[0][..equals];
        var value = equals < 0 ? null : parts[0][(equals + 1)..];
        if (NameValidation.IsQualifiedName(key) is [var keyProblem, ..])
        {
            throw new FormatException($"\"{spec}\": invalid taint key \"{key}\": {keyProblem}");
        }

        if (value is not null && NameValidation.IsValidLabelValue(value) is [var valueProblem, ..])
        {
            throw new FormatException($"\"{spec}\": invalid taint value \"{value}\": {valueProblem}");
        }

        return new Taint { Key = key, Value = string.IsNullOrEmpty(value) ? null : value, Effect = effect };
    }
}
