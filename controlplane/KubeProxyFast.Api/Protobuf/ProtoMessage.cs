using System.Collections.Concurrent;
using System.Collections.Frozen;
using Google.Protobuf.Reflection;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// A message as the transcoders read it: its fields by number and by JSON name, built once per
/// descriptor from the compiled <c>.proto</c> files and shared.
/// </summary>
public sealed class ProtoMessage
{
    private static readonly ConcurrentDictionary<string, ProtoMessage> Cache = new(StringComparer.Ordinal);
    private static readonly FrozenSet<string> PointerFields = LoadPointerFields();

    private readonly ProtoField?[] _byNumber;
    private readonly FrozenDictionary<string, ProtoField> _byName;
    private readonly FrozenDictionary<string, ProtoField>.AlternateLookup<ReadOnlySpan<char>> _byNameSpan;

    private ProtoMessage(MessageDescriptor descriptor)
    {
        FullName = descriptor.FullName;
        var declared = descriptor.Fields.InDeclarationOrder();
        var fields = new ProtoField[declared.Count];
        var maxNumber = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var d = declared[i];
            fields[i] = new ProtoField(d, FullName, i, PointerFields.Contains(FullName + "." + d.Name));
            maxNumber = Math.Max(maxNumber, d.FieldNumber);
        }

        Fields = fields;
        _byNumber = new ProtoField?[maxNumber + 1];
        foreach (var field in fields)
        {
            _byNumber[field.Number] = field;
        }

        var byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var index = fields.Length;
        foreach (var d in declared)
        {
            if (d.FieldType == FieldType.Message && byName[d.Name] is { Inline: true } inline)
            {
                // The inlined message's fields are found by name here, each reached through the inline field.
                foreach (var child in d.MessageType.Fields.InDeclarationOrder())
                {
                    var owner = d.MessageType.FullName;
                    byName.TryAdd(child.Name, new ProtoField(child, owner, index++, PointerFields.Contains(owner + "." + child.Name), inline));
                }
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byNameSpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        HasTypeMeta = _byName.ContainsKey("kind") || _byName.ContainsKey("apiVersion");
    }

    /// <summary>The message's full name, e.g. <c>k8s.io.api.core.v1.Pod</c>.</summary>
    public string FullName { get; }

    /// <summary>The fields in declaration order.</summary>
    public IReadOnlyList<ProtoField> Fields { get; }

    /// <summary>
    /// The message has <c>kind</c> or <c>apiVersion</c> fields of its own (an OwnerReference); when
    /// it has not, those JSON properties are the inline TypeMeta, which protobuf carries in the envelope.
    /// </summary>
    public bool HasTypeMeta { get; }

    /// <summary>The message of <paramref name="descriptor"/>, built once.</summary>
    public static ProtoMessage For(MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Cache.TryGetValue(descriptor.FullName, out var message)
            ? message
            : Cache.GetOrAdd(descriptor.FullName, _ => new ProtoMessage(descriptor));
    }

    /// <summary>The field numbered <paramref name="number"/>, or null.</summary>
    public ProtoField? ByNumber(int number) => (uint)number < (uint)_byNumber.Length ? _byNumber[number] : null;

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public ProtoField? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The field whose UTF-8 name is <paramref name="utf8Name"/>. JSON usually lists fields in
    /// declaration order, so the field after <paramref name="next"/>'s previous match is tried first.
    /// </summary>
    public ProtoField? ByName(ReadOnlySpan<byte> utf8Name, ref int next)
    {
        var fields = Fields;
        if ((uint)next < (uint)fields.Count && utf8Name.SequenceEqual(fields[next].Utf8Name))
        {
            return fields[next++];
        }

        if (utf8Name.Length > 256)
        {
            return null;
        }

        Span<char> chars = stackalloc char[utf8Name.Length];
        for (var i = 0; i < utf8Name.Length; i++)
        {
            if (utf8Name[i] >= 0x80)
            {
                return null;
            }

            chars[i] = (char)utf8Name[i];
        }

        if (!_byNameSpan.TryGetValue(chars, out var field))
        {
            return null;
        }

        next = field.Index + 1;
        return field;
    }

    private static FrozenSet<string> LoadPointerFields()
    {
        using var stream = typeof(ProtoMessage).Assembly.GetManifestResourceStream("KubeProxyFast.Api.Protobuf.PointerFields.txt")
            ?? throw new InvalidOperationException("PointerFields.txt is not embedded");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line.Trim());
            }
        }

        return names.ToFrozenSet(StringComparer.Ordinal);
    }
}
