namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// How many service ports use each shared object (an endpoint address in the hairpin set, a pick
/// chain), so that an incremental sync learns from the diff alone — not a pass over the whole
/// snapshot — which objects appear (first use) and which go (last use).
/// </summary>
internal sealed class UseCounts<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _counts = [];

    /// <summary>The objects in use.</summary>
    public IReadOnlyCollection<T> InUse => _counts.Keys;

    /// <summary>Starts over with <paramref name="uses"/> (one item per use).</summary>
    public void Reset(IEnumerable<T> uses)
    {
        _counts.Clear();
        foreach (var item in uses)
        {
            _counts[item] = _counts.GetValueOrDefault(item) + 1;
        }
    }

    /// <summary>Takes <paramref name="released"/> uses away and adds <paramref name="used"/>; returns the objects no longer used and the newly used ones.</summary>
    public (List<T> Gone, List<T> New) Apply(IEnumerable<T> released, IEnumerable<T> used)
    {
        var wasInUse = new Dictionary<T, bool>();
        foreach (var item in released)
        {
            wasInUse.TryAdd(item, true);
            var n = _counts.GetValueOrDefault(item) - 1;
            if (n > 0)
            {
                _counts[item] = n;
            }
            else
            {
                _counts.Remove(item);
            }
        }

        foreach (var item in used)
        {
            wasInUse.TryAdd(item, _counts.ContainsKey(item));
            _counts[item] = _counts.GetValueOrDefault(item) + 1;
        }

        var gone = new List<T>();
        var added = new List<T>();
        foreach (var (item, before) in wasInUse)
        {
            var now = _counts.ContainsKey(item);
            if (before && !now)
            {
                gone.Add(item);
            }
            else if (!before && now)
            {
                added.Add(item);
            }
        }

        return (gone, added);
    }
}
