using k8s;
using k8s.Models;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>The official C# client (NuGet KubernetesClient) creating reviews with the admin certificate from a written kubeconfig.</summary>
public sealed class OfficialClientReviewTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private SecuredApiServer Server => fixture.Server;

    [Fact]
    public async Task CreateSelfSubjectAccessReview_AdminCertificate_Allowed()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.AdminKubeconfigPath));

        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = "default", Verb = "create", Resource = "pods" },
            },
        });

        Assert.True(review.Status.Allowed);
        Assert.Equal("create", review.Spec.ResourceAttributes.Verb);
    }

    [Fact]
    public async Task CreateSubjectAccessReview_AdminAboutUserWithoutRoles_NotAllowed()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.AdminKubeconfigPath));

        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = "bob",
                Extra = new Dictionary<string, IList<string>> { ["scopes"] = ["a"] },
                ResourceAttributes = new V1ResourceAttributes { Verb = "list", Resource = "nodes" },
            },
        });

        Assert.False(review.Status.Allowed);
        Assert.Equal(["a"], review.Spec.Extra["scopes"]);
    }
}
