using System.Text;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Kubernetes' static token file (<c>--token-auth-file</c>): CSV records
/// <c>token,user,uid[,"group1,group2"]</c>, read once at start. As Go's encoding/csv (which
/// kube-apiserver reads it with): fields may be quoted, <c>""</c> is a quote inside a quoted field,
/// blank lines are skipped, records may have more than four fields (ignored). Stricter than
/// Kubernetes on what would make a bad user: an empty token or user name is an error, not a record
/// silently skipped or a user without a name.
/// </summary>
internal static class TokenFile
{
    /// <summary>One record: a token and the user it names.</summary>
    public readonly record struct Entry(int Line, string Token, UserInfo User);

    /// <summary>The records of the file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="TokenFileException">A malformed record (the message names the file and line).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<Entry> Read(string path) => Parse(path, File.ReadAllText(path));

    /// <summary>The records of <paramref name="text"/>, read from <paramref name="path"/>.</summary>
    /// <exception cref="TokenFileException">A malformed record.</exception>
    public static IReadOnlyList<Entry> Parse(string path, string text)
    {
        List<Entry> entries = [];
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitRecord(path, lineNumber, line);
            if (fields.Count < 3)
            {
                throw new TokenFileException(path, lineNumber, $"must have at least 3 columns (token, user name, user uid), found {fields.Count}");
            }

            if (fields[0].Length == 0)
            {
                throw new TokenFileException(path, lineNumber, "the token is empty");
            }

            if (fields[1].Length == 0)
            {
                throw new TokenFileException(path, lineNumber, "the user name is empty");
            }

            IReadOnlyList<string> groups = fields.Count >= 4
                ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            var uid = fields[2].Length == 0 ? null : fields[2];
            entries.Add(new Entry(lineNumber, fields[0], UserInfo.Of(fields[1], groups) with { Uid = uid }));
        }

        return entries;
    }

    // One CSV record on one line (RFC 4180 as Go reads it, without fields spanning lines: a token
    // file has no use for them, and an unterminated quote is far likelier a mistake).
    private static List<string> SplitRecord(string path, int lineNumber, string line)
    {
        List<string> fields = [];
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new TokenFileException(path, lineNumber, "a quoted field is not closed");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new TokenFileException(path, lineNumber, $"unexpected character '{line[i]}' after a quoted field (column {i + 1})");
                }
            }
            else
            {
                var end = line.IndexOf(',', i);
                var text = end < 0 ? line[i..] : line[i..end];
                if (text.Contains('"', StringComparison.Ordinal))
                {
                    throw new TokenFileException(path, lineNumber, "a bare \" in an unquoted field (quote the whole field and double the quote)");
                }

                field.Append(text);
                i = end < 0 ? line.Length : end;
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }
}
