using System.Net;
using System.Text;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Rbac;

/// <summary>Writing RBAC objects as JSON and waiting for the authorizer's in-memory copy to see them.</summary>
internal static class RbacHttp
{
    public const string Group = "rbac.authorization.k8s.io";

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json) =>
        await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Creates an object (201 expected) and returns it as text.</summary>
    public static async Task<string> CreateAsync(HttpClient http, string path, string json)
    {
        using var response = await PostAsync(http, path, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return body;
    }

    public static string ClusterRole(string name, string rules) =>
        $$"""{"apiVersion":"{{Group}}/v1","kind":"ClusterRole","metadata":{"name":"{{name}}"},"rules":{{rules}}}""";

    public static string Role(string ns, string name, string rules) =>
        $$"""{"apiVersion":"{{Group}}/v1","kind":"Role","metadata":{"name":"{{name}}","namespace":"{{ns}}"},"rules":{{rules}}}""";

    public static string RoleBinding(string ns, string name, string roleKind, string role, string subjectKind, string subject) =>
        $$"""{"apiVersion":"{{Group}}/v1","kind":"RoleBinding","metadata":{"name":"{{name}}","namespace":"{{ns}}"},"roleRef":{"apiGroup":"{{Group}}","kind":"{{roleKind}}","name":"{{role}}"},"subjects":[{"kind":"{{subjectKind}}","apiGroup":"{{Group}}","name":"{{subject}}"}]}""";

    public static string ClusterRoleBinding(string name, string role, string subjectKind, string subject) =>
        $$"""{"apiVersion":"{{Group}}/v1","kind":"ClusterRoleBinding","metadata":{"name":"{{name}}"},"roleRef":{"apiGroup":"{{Group}}","kind":"ClusterRole","name":"{{role}}"},"subjects":[{"kind":"{{subjectKind}}","apiGroup":"{{Group}}","name":"{{subject}}"}]}""";

    /// <summary>Waits until <paramref name="http"/>'s GET of <paramref name="path"/> is no longer refused (the authorizer saw the grant).</summary>
    public static Task UntilAllowedAsync(HttpClient http, string path) =>
        Eventually.True(async () =>
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode != HttpStatusCode.Forbidden;
        }, "GET " + path + " allowed", TimeSpan.FromSeconds(30));

    public static async Task<HttpStatusCode> StatusOfGetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }
}
