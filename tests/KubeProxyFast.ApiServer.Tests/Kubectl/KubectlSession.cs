using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl against a class's shared apiserver, in one namespace of the test's own: every command
/// gets <c>-n</c>, and <see cref="Ok(string[])"/> fails the test with kubectl's own words when
/// the command fails.
/// </summary>
internal sealed class KubectlSession(TestApiServer server, string ns)
{
    /// <summary>The test's namespace.</summary>
    public string Namespace => ns;

    /// <summary>The server.</summary>
    public TestApiServer Server => server;

    /// <summary>Runs kubectl in the namespace.</summary>
    public ProcessResult Run(params string[] args) => server.Kubectl([.. args, "-n", ns]);

    /// <summary>Runs kubectl in the namespace with <paramref name="stdin"/> (for <c>-f -</c>).</summary>
    public ProcessResult RunWithInput(string stdin, params string[] args) => server.KubectlWithInput(stdin, [.. args, "-n", ns]);

    /// <summary>Runs kubectl in the namespace with extra environment variables (<c>KUBE_EDITOR</c>).</summary>
    public ProcessResult RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // TMPDIR: kubectl edit keeps a copy of a refused edit there; it goes with the server's directory.
        var all = new Dictionary<string, string>(environment) { ["HOME"] = server.Directory, ["TMPDIR"] = server.Directory };
        return ProcessResult.Run("kubectl", ["--kubeconfig", server.KubeconfigPath, .. args, "-n", ns], null, all);
    }

    /// <summary>Runs kubectl and returns its standard output; a failure fails the test.</summary>
    public string Ok(params string[] args) => Ok(Run(args));

    /// <summary>Runs kubectl with <paramref name="stdin"/> and returns its standard output; a failure fails the test.</summary>
    public string OkWithInput(string stdin, params string[] args) => Ok(RunWithInput(stdin, args));

    /// <summary>Runs kubectl, expects it to fail, and returns its standard error.</summary>
    public string Fails(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode != 0, $"kubectl {string.Join(' ', args)} succeeded: {result.Stdout}");
        return result.Stderr;
    }

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"kubectl exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }
}
