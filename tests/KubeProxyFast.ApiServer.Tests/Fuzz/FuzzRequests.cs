using System.Text;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Fuzz;

/// <summary>
/// Generates requests for the request decoders: creates, updates and subresource writes with
/// mutated JSON and YAML bodies, the three patch types with mutated patches, deletes with
/// mutated options, and lists, gets and watches with mutated query strings. Everything targets
/// the <c>default</c> namespace's objects (<see cref="BasePod"/>, <see cref="BaseService"/>,
/// <see cref="BaseController"/> are patched and updated, never deleted), never proxy subresources.
/// </summary>
internal sealed class FuzzRequests(Random random)
{
    public const string BasePod = "base-pod";
    public const string BaseService = "base-svc";
    public const string BaseController = "base-rc";

    private const string Namespace = "/api/v1/namespaces/default";

    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "application/yaml; charset=utf-8"];

    private static readonly string[] PatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

    private static readonly string[] Pointers =
    [
        "", "/", "/metadata", "/metadata/labels", "/metadata/labels/app", "/metadata/labels/a~1b", "/metadata/annotations/x",
        "/metadata/name", "/metadata/resourceVersion", "/spec", "/spec/containers", "/spec/containers/0", "/spec/containers/-",
        "/spec/containers/0/image", "/spec/containers/1", "/spec/containers/-1", "/spec/containers/99999999999999999999",
        "/spec/containers/01", "/spec/ports/0/port", "/spec/replicas", "/spec/selector", "/status", "/~", "/~2", "/a/b/c/d", "metadata",
    ];

    private readonly Mutator _mutate = new(random);
    private readonly FuzzQueries _queries = new(random);

    /// <summary>The objects' JSON as valid requests would carry them; mutations start from these.</summary>
    public static JsonNode Template(string kind, string name) => kind switch
    {
        "Pod" => JsonNode.Parse(Named("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","labels":{"app":"web","tier":"front"},"annotations":{"note":"x"}},
             "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],
             "env":[{"name":"A","value":"1"}],"resources":{"limits":{"cpu":"100m","memory":"64Mi"}}}],"restartPolicy":"Always"},
             "status":{"phase":"Running","podIP":"198.18.0.5"}}
            """, name))!,
        "Service" => JsonNode.Parse(Named("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"NAME","labels":{"app":"web"}},
             "spec":{"type":"NodePort","selector":{"app":"web"},"sessionAffinity":"ClientIP","externalIPs":["198.18.0.9"],
             "ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},{"name":"dns","port":53,"targetPort":"dns","protocol":"UDP"}]}}
            """, name))!,
        "ReplicationController" => JsonNode.Parse(Named("""
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"NAME"},
             "spec":{"replicas":0,"selector":{"app":"rc"},"template":{"metadata":{"labels":{"app":"rc"}},
             "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """, name))!,
        "Endpoints" => JsonNode.Parse(Named("""
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"NAME"},
             "subsets":[{"addresses":[{"ip":"198.18.1.7"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}
            """, name))!,
        _ => JsonNode.Parse(Named("""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"NAME","labels":{"zone":"a"}},
             "spec":{"podCIDR":"198.18.64.0/24","unschedulable":false},
             "status":{"addresses":[{"type":"InternalIP","address":"198.18.0.20"}],"capacity":{"cpu":"2","pods":"110"}}}
            """, name))!,
    };

    private static string Named(string json, string name) => json.Replace("NAME", name, StringComparison.Ordinal);

    /// <summary>The next request.</summary>
    public FuzzRequest Next() => random.Next(100) switch
    {
        < 22 => Create(yaml: false),
        < 36 => Create(yaml: true),
        < 44 => Update(),
        < 64 => Patch(),
        < 82 => new FuzzRequest(HttpMethod.Get, ListPath() + _queries.ListQuery(watch: false)) { Kind = "list" },
        < 88 => new FuzzRequest(HttpMethod.Get, ListPath() + _queries.ListQuery(watch: true)) { Kind = "watch" },
        < 92 => new FuzzRequest(HttpMethod.Get, $"{Namespace}/pods/{BasePod}" + _queries.GetQuery()) { Kind = "get" },
        < 96 => Subresource(),
        _ => Delete(),
    };

    private FuzzRequest Create(bool yaml)
    {
        var (kind, resource) = _mutate.Pick<(string, string)>(
            [("Pod", "pods"), ("Service", "services"), ("ReplicationController", "replicationcontrollers"), ("Endpoints", "endpoints"), ("Node", "nodes")]);
        var path = kind == "Node" ? "/api/v1/nodes" : $"{Namespace}/{resource}";
        var name = "fz-" + random.Next(8);
        var body = yaml ? YamlBody(kind, name) : JsonBody(Template(kind, name));
        return new FuzzRequest(HttpMethod.Post, path + _queries.WriteQuery(), yaml ? _mutate.Pick(YamlTypes) : "application/json", body)
        {
            Kind = yaml ? "yaml create" : "json create",
        };
    }

    private FuzzRequest Update()
    {
        var (kind, name, resource) = _mutate.Pick<(string, string, string)>(
            [("Pod", BasePod, "pods"), ("Service", BaseService, "services"), ("ReplicationController", BaseController, "replicationcontrollers")]);
        var yaml = random.Next(4) == 0;
        var body = yaml ? YamlBody(kind, name) : JsonBody(Template(kind, name));
        return new FuzzRequest(HttpMethod.Put, $"{Namespace}/{resource}/{name}" + _queries.WriteQuery(), yaml ? "application/yaml" : "application/json", body)
        {
            Kind = yaml ? "yaml update" : "json update",
        };
    }

    private FuzzRequest Patch()
    {
        var type = _mutate.Pick(PatchTypes);
        var target = _mutate.Pick([$"pods/{BasePod}", $"services/{BaseService}", $"replicationcontrollers/{BaseController}",
            $"pods/{BasePod}/status", $"replicationcontrollers/{BaseController}/scale"]);
        string patch;
        if (type == PatchTypes[0])
        {
            var operations = Enumerable.Range(0, random.Next(1, 5)).Select(_ => JsonPatchOperation());
            patch = "[" + string.Join(',', operations) + "]";
        }
        else
        {
            var fragment = Template(target.StartsWith("services", StringComparison.Ordinal) ? "Service" : "Pod", BasePod);
            if (type == PatchTypes[2] && random.Next(2) == 0)
            {
                fragment = JsonNode.Parse("""
                    {"metadata":{"labels":{"x":null},"$deleteFromPrimitiveList/finalizers":["a"]},
                     "spec":{"$setElementOrder/containers":[{"name":"c"}],"$retainKeys":["containers"],
                     "containers":[{"name":"c","$patch":"delete"},{"name":"d","image":"busybox","$patch":"replace"}]}}
                    """)!;
            }

            patch = _mutate.MutateJson(fragment);
        }

        var body = random.Next(3) == 0 ? _mutate.MutateBytes(Encoding.UTF8.GetBytes(patch)) : Encoding.UTF8.GetBytes(patch);
        return new FuzzRequest(HttpMethod.Patch, $"{Namespace}/{target}" + _queries.WriteQuery(), type, body) { Kind = "patch " + type[12..type.IndexOf('+')] };
    }

    private string JsonPatchOperation()
    {
        var op = _mutate.Pick(["add", "remove", "replace", "move", "copy", "test", "Add", "", "nop"]);
        var members = new List<string> { $"\"op\":\"{op}\"", $"\"path\":\"{_mutate.Pick(Pointers)}\"" };
        if (random.Next(3) > 0)
        {
            members.Add($"\"value\":{_mutate.RawValue(1)}");
        }

        if (op is "move" or "copy" || random.Next(6) == 0)
        {
            members.Add($"\"from\":\"{_mutate.Pick(Pointers)}\"");
        }

        return "{" + string.Join(',', members.OrderBy(_ => random.Next())) + "}";
    }

    private FuzzRequest Subresource()
    {
        var (path, kind, body) = _mutate.Pick<(string, string, JsonNode)>(
        [
            ($"pods/{BasePod}/binding", "binding", JsonNode.Parse("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"base-pod"},"target":{"kind":"Node","name":"n1"}}""")!),
            ($"pods/{BasePod}/status", "status", Template("Pod", BasePod)),
            ($"replicationcontrollers/{BaseController}/scale", "scale",
                JsonNode.Parse("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"base-rc"},"spec":{"replicas":1}}""")!),
        ]);
        var method = kind == "binding" ? HttpMethod.Post : HttpMethod.Put;
        return new FuzzRequest(method, $"{Namespace}/{path}" + _queries.WriteQuery(), "application/json", JsonBody(body)) { Kind = kind };
    }

    private FuzzRequest Delete()
    {
        var options = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0,"propagationPolicy":"Background","preconditions":{"uid":"x","resourceVersion":"1"},"dryRun":["All"]}
            """)!;
        var path = $"{Namespace}/{_mutate.Pick(["pods", "services", "replicationcontrollers", "endpoints"])}/fz-{random.Next(8)}";
        return new FuzzRequest(HttpMethod.Delete, path + _queries.DeleteQuery(), "application/json", JsonBody(options)) { Kind = "delete" };
    }

    private byte[] JsonBody(JsonNode template) => random.Next(4) == 0
        ? _mutate.MutateBytes(Encoding.UTF8.GetBytes(template.ToJsonString()))
        : Encoding.UTF8.GetBytes(_mutate.MutateJson(template));

    private byte[] YamlBody(string kind, string name)
    {
        var yaml = random.Next(6) switch
        {
            // JSON is YAML: the flow style, then mutated with YAML's tokens as well.
            0 => _mutate.MutateJson(Template(kind, name)),
            1 => YamlAliasBomb.Manifest(kind, name),
            2 => $"apiVersion: v1\nkind: {kind}\nmetadata: &m\n  name: {name}\n  labels: &l {{app: web}}\n  annotations: *l\n" +
                 "spec:\n  selector: *l\n  ports:\n  - &p {name: http, port: 80, targetPort: 8080}\n  - {<<: *p, name: alt, port: 81}\n" +
                 "  containers:\n  - &c {name: c, image: nginx}\n  - {<<: [*c, *l], name: d}\n",
            _ => BlockYaml(Template(kind, name), 0),
        };
        var bytes = Encoding.UTF8.GetBytes(yaml);
        return random.Next(3) > 0 ? _mutate.MutateBytes(bytes) : bytes;
    }

    private static string BlockYaml(JsonNode? node, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                return string.Concat(obj.Select(p => p.Value is JsonObject or JsonArray
                    ? $"{pad}{p.Key}:\n{BlockYaml(p.Value, indent + 2)}"
                    : $"{pad}{p.Key}: {p.Value?.ToJsonString() ?? "null"}\n"));
            case JsonArray array when array.Count > 0:
                return string.Concat(array.Select(item => item is JsonObject or JsonArray
                    ? $"{pad}-\n{BlockYaml(item, indent + 2)}"
                    : $"{pad}- {item?.ToJsonString() ?? "null"}\n"));
            default:
                return $"{pad}{node?.ToJsonString() ?? "null"}\n";
        }
    }

    private string ListPath() => _mutate.Pick(
    [
        $"{Namespace}/pods", "/api/v1/pods", $"{Namespace}/services", "/api/v1/services", "/api/v1/nodes", "/api/v1/namespaces",
        $"{Namespace}/events", $"{Namespace}/endpoints", $"{Namespace}/replicationcontrollers", "/api/v1/namespaces/kube-system/pods",
    ]);
}
