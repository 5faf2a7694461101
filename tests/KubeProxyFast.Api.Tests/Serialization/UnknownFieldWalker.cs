using System.Collections;
using System.Reflection;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Tests.Serialization;

/// <summary>Lists the paths of every field that landed in <see cref="Extensible.UnknownFields"/>.</summary>
internal static class UnknownFieldWalker
{
    public static List<string> Find(object root)
    {
        var found = new List<string>();
        Walk(root, "", found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static void Walk(object? value, string path, List<string> found)
    {
        switch (value)
        {
            case null or string:
                return;
            case Extensible extensible:
                foreach (var key in extensible.UnknownFields?.Keys ?? Enumerable.Empty<string>())
                {
                    found.Add(Join(path, key));
                }

                foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (property.Name != nameof(Extensible.UnknownFields) && property.GetIndexParameters().Length == 0)
                    {
                        Walk(property.GetValue(value), Join(path, property.Name), found);
                    }
                }

                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Walk(entry.Value, $"{path}[{entry.Key}]", found);
                }

                return;
            case IList list:
                for (var i = 0; i < list.Count; i++)
                {
                    Walk(list[i], $"{path}[{i}]", found);
                }

                return;
        }
    }

    private static string Join(string path, string name)
    {
        var camel = char.ToLowerInvariant(name[0]) + name[1..];
        return path.Length == 0 ? camel : path + "." + camel;
    }
}
