using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary><c>kubectl auth can-i</c> (SelfSubjectAccessReview, protobuf from kubectl) with real kubeconfigs, and with <c>--as</c> (impersonation).</summary>
public sealed class KubectlAuthCanITests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private SecuredApiServer Server => fixture.Server;

    [Fact]
    public void AuthCanI_AdminKubeconfig_Yes()
    {
        var result = Server.Kubectl(Server.AdminKubeconfigPath, "auth", "can-i", "create", "pods");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("yes", result.Stdout.Trim());
    }

    [Fact]
    public void AuthCanI_AdminAsUserInSeveralGroupsOneMasters_Yes()
    {
        var result = Server.Kubectl(Server.AdminKubeconfigPath, "auth", "can-i", "delete", "nodes", "--as=bob", "--as-group=dev", "--as-group=system:masters");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("yes", result.Stdout.Trim());
    }

    [Fact]
    public void AuthCanI_NonAdminAs_Is403ForImpersonation()
    {
        var kubeconfig = Server.WriteKubeconfig("mallory");

        var result = Server.Kubectl(kubeconfig, "auth", "can-i", "create", "pods", "--as=admin");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("users \"admin\" is forbidden: User \"mallory\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", result.Stderr, StringComparison.Ordinal);
    }
}
