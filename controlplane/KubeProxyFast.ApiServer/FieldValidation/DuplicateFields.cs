using System.Text;
using System.Text.Json;

namespace KubeProxyFast.ApiServer.FieldValidation;

/// <summary>
/// Object members given twice in a JSON body (<c>{"name":"a","name":"b"}</c>). The decoder keeps
/// the last, as Go's does; Kubernetes' strict decoder also names each one
/// (<c>duplicate field "metadata.name"</c>), which this forward read does without building the document.
/// </summary>
internal static class DuplicateFields
{
    // Up to this many members an object's names are compared in place; past it they go into a set,
    // so a map of many labels costs linear time, not quadratic.
    private const int ScanLimit = 16;

    /// <summary>Adds the path of every duplicated member of <paramref name="json"/> to <paramref name="found"/>; malformed JSON is left to the decoder.</summary>
    public static void Find(ReadOnlySpan<byte> json, List<string> found)
    {
        var reader = new Utf8JsonReader(json);
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        var name = reader.ValueIsEscaped ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
                        if (!frame.Add(name))
                        {
                            found.Add(Path(frames, name));
                        }

                        frame.Current = name;
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        continue;
                    default:
                        Advance(frames);
                        continue;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the decoder reports it with its position.
        }
    }

    /// <summary>A value in a list moves the list's position on.</summary>
    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsList)
        {
            frames[^1].Index++;
        }
    }

    /// <summary><c>spec.containers[0].name</c>: the members and positions that lead to the duplicate.</summary>
    private static string Path(List<Frame> frames, string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < frames.Count - 1; i++)
        {
            var frame = frames[i];
            if (frame.IsList)
            {
                text.Append('[').Append(frame.Index).Append(']');
            }
            else
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(frame.Current);
            }
        }

        if (text.Length > 0)
        {
            text.Append('.');
        }

        return text.Append(name).ToString();
    }

    /// <summary>An open object (its member names so far, and the current one) or list (its position).</summary>
    private sealed class Frame(bool isList)
    {
        private List<string>? _names;
        private HashSet<string>? _set;

        public bool IsList { get; } = isList;

        public int Index { get; set; } = -1;

        public string? Current { get; set; }

        /// <summary>Records a member name; false when the object already had it.</summary>
        public bool Add(string name)
        {
            if (_set is not null)
            {
                return _set.Add(name);
            }

            _names ??= [];
            if (_names.Contains(name))
            {
                return false;
            }

            _names.Add(name);
            if (_names.Count > ScanLimit)
            {
                _set = new HashSet<string>(_names, StringComparer.Ordinal);
                _names = null;
            }

            return true;
        }
    }
}
