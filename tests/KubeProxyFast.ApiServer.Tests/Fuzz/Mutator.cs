using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Tests.Fuzz;

/// <summary>
/// Mutations of request bodies, all drawn from one seeded <see cref="Random"/> so a run is
/// repeated exactly by its seed: blind ones on the bytes (flips, truncations, inserted tokens)
/// and ones that know JSON (a value swapped for one of another type, a huge number, deep
/// nesting, odd Unicode, a duplicate key).
/// </summary>
internal sealed class Mutator(Random random)
{
    // Tokens that mean something to a JSON, YAML or patch decoder, or to number and string parsing.
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "-", "0", "-0", "1e309", "-1e-400",
        "99999999999999999999999999999", "4294968", "-2147483649", "9223372036854775808", "0.5", "NaN", "Infinity",
        "\"\\ud800\"", "\"\\u0000\"", "\\", "\n", "\r\n", "\t", " ", "é", "\u2028", "😀", "\uFEFF",
        "&a ", "*a", "<<: ", "<<: *a", "---\n", "...\n", "!!binary ", "!!int ", "? ", "- ", "|\n", ">-\n", "#", "%YAML 1.2\n",
        "'", "~", "{a: 1}", "[*a, *a]", "&a [1]", "\"$patch\": \"delete\"", "\"$retainKeys\": []",
        "\"$setElementOrder/containers\": [{\"name\": \"c\"}]", "\"$deleteFromPrimitiveList/finalizers\": [\"x\"]",
        "\"metadata\"", "\"spec\"", "\"containers\"", "\"apiVersion\": \"v1\"", "\"kind\": \"Service\"",
    ];

    /// <summary>One to three blind mutations of <paramref name="input"/>.</summary>
    public byte[] MutateBytes(byte[] input)
    {
        var bytes = new List<byte>(input);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 16), bytes.Count - at));
                    break;
                case 4 when bytes.Count > 0:
                    var length = Math.Min(random.Next(1, 64), bytes.Count - Math.Min(at, bytes.Count - 1));
                    bytes.InsertRange(at, bytes.GetRange(Math.Min(at, bytes.Count - 1), length));
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Pick(Tokens)));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>A copy of <paramref name="root"/> with one to three values replaced, as JSON text.</summary>
    public string MutateJson(JsonNode root)
    {
        // Replacements go in as placeholders and are spliced in as text afterwards: JsonNode
        // would refuse the values that matter most here (lone surrogates, 3,000 levels, 1e309).
        var copy = root.DeepClone();
        var replacements = new List<string>();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var nodes = new List<JsonNode>();
            Collect(copy, nodes);
            var target = nodes[random.Next(nodes.Count)];
            var placeholder = JsonValue.Create($"\u0001{replacements.Count}\u0001");
            switch (target.Parent)
            {
                case JsonObject obj:
                    obj[target.GetPropertyName()] = placeholder;
                    break;
                case JsonArray array:
                    array[target.GetElementIndex()] = placeholder;
                    break;
                default:
                    continue;
            }

            replacements.Add(RawValue(0));
        }

        var text = copy.ToJsonString();
        for (var i = 0; i < replacements.Count; i++)
        {
            text = text.Replace($"\"\\u0001{i}\\u0001\"", replacements[i], StringComparison.Ordinal);
        }

        return random.Next(8) == 0 ? DuplicateKey(text) : text;
    }

    /// <summary>A JSON value of a random type: odd numbers, odd strings, deep or wide structures.</summary>
    public string RawValue(int depth) => random.Next(depth > 2 ? 9 : 13) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => Pick(["0", "-1", "1e309", "-0", "0.1", "4294968", "2147483648", "-9223372036854775809", "1E+2", "123456789012345678901234567890"]),
        3 => random.Next(int.MinValue, int.MaxValue).ToString(CultureInfo.InvariantCulture),
        4 => JsonString(RandomText(random.Next(0, 24))),
        5 => Pick(["\"\"", "\"web\"", "\"198.18.0.1\"", "\"TCP\"", "\"Always\"", "\"c\"", "\"100m\"", "\"64Mi\"", "\"delete\"", "\"$patch\""]),
        6 => "\"" + Pick(["\\ud800", "\\udfff\\ud800", "\\u0000", "\\uFFFF", "é", "😀", "\\\\", "\\\""]) + "\"",
        7 => "{}",
        8 => "[]",
        9 => "{" + JsonString(Pick(["name", "app", "$patch", "port", "containers", "metadata", ""])) + ":" + RawValue(depth + 1) + "}",
        10 => "[" + string.Join(',', Enumerable.Range(0, random.Next(1, 4)).Select(_ => RawValue(depth + 1))) + "]",
        11 => Nested(random.Next(2) == 0 ? random.Next(1, 70) : random.Next(70, 3000)),
        _ => JsonString(new string(Pick(['a', 'é', '0']), random.Next(1000, 50_000))),
    };

    /// <summary>One of <paramref name="choices"/>.</summary>
    public T Pick<T>(IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];

    private string Nested(int levels) => random.Next(2) == 0
        ? new string('[', levels) + new string(']', levels)
        : string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels);

    private string RandomText(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0, 0x20),
                2 => (char)random.Next(0xa0, 0xd7ff),
                _ => Pick(['=', ',', '!', '(', ')', ' ', '/', '.', '-', '_', '~', '%', '&', '*']),
            });
        }

        return text.ToString();
    }

    private static string JsonString(string text) => JsonValue.Create(text).ToJsonString();

    private string DuplicateKey(string json)
    {
        var braces = new List<int>();
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == '{' && i + 1 < json.Length && json[i + 1] == '"')
            {
                braces.Add(i);
            }
        }

        if (braces.Count == 0)
        {
            return json;
        }

        // The first key of an object, written once more at its start with another value.
        var at = Pick(braces) + 1;
        var keyEnd = json.IndexOf("\":", at + 1, StringComparison.Ordinal);
        return keyEnd < 0 ? json : json[..at] + json[at..(keyEnd + 2)] + RawValue(2) + "," + json[at..];
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }

                break;
        }
    }
}
