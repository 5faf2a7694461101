using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// The <c>///</c> summaries of the API model (its documentation file, embedded at build time), as
/// plain text: what <c>kubectl explain</c> prints for a kind and each of its fields. One source for
/// the code's readers and the API's users, so the descriptions cannot drift from the model.
/// </summary>
internal static class ModelDocs
{
    private static readonly Lazy<Dictionary<string, string>> Summaries = new(Load);

    /// <summary>The summary of <paramref name="type"/>, or null when it has none.</summary>
    public static string? Of(Type type) => Summaries.Value.GetValueOrDefault("T:" + DocName(type));

    /// <summary>The summary of the property <paramref name="member"/>, or null when it has none.</summary>
    public static string? Of(MemberInfo member) =>
        member.DeclaringType is { } declaring ? Summaries.Value.GetValueOrDefault("P:" + DocName(declaring) + "." + member.Name) : null;

    /// <summary>A type's name in documentation ids: generic definitions as <c>KubeList`1</c>.</summary>
    private static string DocName(Type type) => (type.IsGenericType ? type.GetGenericTypeDefinition() : type).FullName!.Replace('+', '.');

    private static Dictionary<string, string> Load()
    {
        using var stream = typeof(ModelDocs).Assembly.GetManifestResourceStream("KubeProxyFast.Api.xml")
            ?? throw new InvalidOperationException("the API model's documentation is not embedded (see EmbedApiModelDocs in the project file)");
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in XDocument.Load(stream).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
            {
                summaries[name] = Text(summary);
            }
        }

        return summaries;
    }

    /// <summary>The text of a summary: code and references by their names, whitespace collapsed.</summary>
    private static string Text(XElement summary)
    {
        var text = new StringBuilder();
        Append(text, summary);
        return string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    private static void Append(StringBuilder text, XElement element)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    // cref="T:KubeProxyFast.Api.Core.Pod" → Pod; langword="null" → null.
                    var target = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Value;
                    text.Append(target[(target.LastIndexOf('.') + 1)..]);
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append(reference.Attribute("name")?.Value);
                    break;
                case XElement { Name.LocalName: "para" } para:
                    text.Append(' ');
                    Append(text, para);
                    text.Append(' ');
                    break;
                case XElement other:
                    Append(text, other);
                    break;
            }
        }
    }
}
