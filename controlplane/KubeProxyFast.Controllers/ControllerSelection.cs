namespace KubeProxyFast.Controllers;

/// <summary>kube-controller-manager's <c>--controllers</c>: which of the known controllers are enabled.</summary>
public static class ControllerSelection
{
    /// <summary>
    /// The registrations <paramref name="controllers"/> enables, in <paramref name="known"/>'s
    /// order: <c>*</c> enables all, <c>foo</c> enables foo, <c>-foo</c> disables it, the first entry
    /// naming a controller decides; aliases count as the name.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a known controller (kube-controller-manager's wording).</exception>
    public static IReadOnlyList<ControllerRegistration> Enabled(IReadOnlyList<string> controllers, IReadOnlyList<ControllerRegistration> known)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        ArgumentNullException.ThrowIfNull(known);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var registration in known)
        {
            byName[registration.Name] = registration.Name;
            foreach (var alias in registration.Aliases)
            {
                byName[alias] = registration.Name;
            }
        }

        // Resolve every entry first, so every bad name is reported at once, as Kubernetes does.
        var entries = new List<(string? Name, bool Enable)>(controllers.Count);
        var errors = new List<string>();
        foreach (var raw in controllers)
        {
            var entry = raw.Trim();
            if (entry == "*")
            {
                entries.Add((null, true));
                continue;
            }

            var enable = !entry.StartsWith('-');
            var name = enable ? entry : entry[1..];
            if (!byName.TryGetValue(name, out var canonical))
            {
                errors.Add($"\"{name}\" is not in the list of known controllers");
                continue;
            }

            entries.Add((canonical, enable));
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"--controllers: {string.Join("; ", errors)} (known: {string.Join(", ", known.Select(k => k.Name))})",
                nameof(controllers));
        }

        return [.. known.Where(k => IsEnabled(k.Name, entries))];
    }

    private static bool IsEnabled(string name, List<(string? Name, bool Enable)> entries)
    {
        var star = false;
        foreach (var (entry, enable) in entries)
        {
            if (entry is null)
            {
                star = true;
            }
            else if (entry == name)
            {
                return enable;
            }
        }

        return star;
    }
}
