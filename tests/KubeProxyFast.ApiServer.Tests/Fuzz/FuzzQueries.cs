using System.Text;

namespace KubeProxyFast.ApiServer.Tests.Fuzz;

/// <summary>
/// Query strings for lists, watches, gets and writes: the parameters Kubernetes defines, with
/// valid values, near misses and garbage, sometimes repeated, sometimes badly percent-encoded.
/// </summary>
internal sealed class FuzzQueries(Random random)
{
    private static readonly string[] LabelSelectors =
    [
        "app=web", "app!=web", "app==web", "app in (web,db)", "app notin (x)", "app", "!app", "a=b,c=d", "k8s.io/app=web",
        "environment in (production, qa),tier", "", "=", ",", "app in (", "app=web)", "!!", "app in ()", "a.b/c=d", "app=we b",
        "x/y/z=1", "-a=b", "a=-", "app in (web", "app=" + new string('x', 64), new string('k', 300) + "=v", "é=é", "app=web,",
    ];

    private static readonly string[] FieldSelectors =
    [
        "metadata.name=base-pod", "metadata.namespace=default", "spec.nodeName=n1", "status.phase=Running", "metadata.name!=x",
        "spec.nodeName=", "a=b", "metadata.name", "=", "metadata.name==x", "involvedObject.name=x", "type=Warning",
        "metadata.name=a,metadata.name=b", "metadata.name in (a)", "status.podIP=198.18.0.5", "spec.unschedulable=true", "",
    ];

    private static readonly string[] Numbers =
        ["", "0", "1", "-1", "abc", "1.5", " 1", "0x10", "+1", "99999999999999999999", "2147483648", "500", "1e3", "٣"];

    // No revision the store may not have reached yet ("500", "2147483648"): Kubernetes answers
    // those with 504 "Too large resource version" after waiting, which issue 12's defect 7 brought
    // here on purpose; every other shape a resourceVersion can take is a 200 or a 400.
    private static readonly string[] ResourceVersions =
        ["", "0", "1", "-1", "abc", "1.5", " 1", "0x10", "+1", "99999999999999999999", "1e3", "٣", "9223372036854775808"];

    private static readonly string[] Booleans = ["true", "1", "false", "0", "True", "FALSE", "yes", "", "t", "garbage"];

    /// <summary>A list's or a watch's query; a watch's asks for one of the short timeouts the test can wait for.</summary>
    public string ListQuery(bool watch)
    {
        var parameters = new List<(string, string)>();
        for (var n = random.Next(0, 5); n > 0; n--)
        {
            parameters.Add(random.Next(9) switch
            {
                0 => ("labelSelector", Mutated(Pick(LabelSelectors))),
                1 => ("fieldSelector", Mutated(Pick(FieldSelectors))),
                2 => ("resourceVersion", Pick(ResourceVersions)),
                3 => ("resourceVersionMatch", Pick(["NotOlderThan", "Exact", "", "notolderthan", "garbage"])),
                4 => ("limit", Pick(Numbers)),
                5 => ("continue", Continue()),
                6 => ("allowWatchBookmarks", Pick(Booleans)),
                7 => ("pretty", Pick(Booleans)),
                _ => (Pick(["sendInitialEvents", "fieldValidation", "x", "labelselector", ""]), Mutated("true")),
            });
        }

        if (watch)
        {
            // Short or invalid timeouts only. Huge ones are another defect's (issue 12, defect 7:
            // timeoutSeconds=4294968 is a 500 until it is clamped or refused), and the test reads
            // only a watch's status line, so a long timeout costs nothing but a held stream.
            parameters.Add(("watch", Pick(["true", "1", "True"])));
            parameters.Add(("timeoutSeconds", Pick(["1", "0", "-1", "abc", "1.5", "2"])));
        }
        else if (random.Next(4) == 0)
        {
            parameters.Add((Pick(["watch", "timeoutSeconds"]), Pick(random.Next(2) == 0 ? Booleans : Numbers)));
        }

        return Encode(parameters);
    }

    /// <summary>A get's query: mostly resourceVersion.</summary>
    public string GetQuery() => Encode([("resourceVersion", Pick(ResourceVersions)), (Pick(["pretty", "export", "x"]), Pick(Booleans))]);

    /// <summary>A create's, update's or patch's query.</summary>
    public string WriteQuery() => random.Next(3) > 0 ? "" : Encode(
        [(Pick(["dryRun", "fieldManager", "fieldValidation", "pretty", "force"]), Mutated(Pick(["All", "kubectl", "Strict", "Ignore", "true"])))]);

    /// <summary>A delete's query.</summary>
    public string DeleteQuery() => random.Next(2) > 0 ? "" : Encode(
        [(Pick(["gracePeriodSeconds", "propagationPolicy", "orphanDependents", "dryRun"]), Pick([.. Numbers, "Foreground", "Orphan", "Background", "x"]))]);

    private string Continue() => random.Next(4) switch
    {
        0 => "",
        1 => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"rv\":{Pick(Numbers)},\"start\":\"{Mutated("default/a")}\"}}")),
        2 => Convert.ToBase64String(RandomBytes(random.Next(1, 64))),
        _ => Mutated("eyJydiI6MSwic3RhcnQiOiJhIn0"),
    };

    private string Mutated(string value)
    {
        if (random.Next(3) > 0 || value.Length == 0)
        {
            return value;
        }

        var at = random.Next(value.Length + 1);
        return random.Next(3) switch
        {
            0 => value[..at],
            1 => value[..at] + (char)random.Next(0x20, 0x250) + value[at..],
            _ => value[..at] + value,
        };
    }

    private string Encode(List<(string Name, string Value)> parameters)
    {
        if (parameters.Count == 0)
        {
            return "";
        }

        return "?" + string.Join('&', parameters.Select(p => random.Next(12) switch
        {
            // Broken percent-encoding and raw bytes, which the server must refuse or read, not crash on.
            0 => p.Name + "=" + Pick(["%", "%zz", "%c3%28", "%ff%fe", "%00", "%E2%82", "a%2", "%25"]) + Uri.EscapeDataString(p.Value),
            1 => p.Name,
            _ => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value),
        }));
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private string Pick(string[] choices) => choices[random.Next(choices.Length)];
}
