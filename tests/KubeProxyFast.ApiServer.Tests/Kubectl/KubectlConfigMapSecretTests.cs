using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>ConfigMaps and Secrets through kubectl (apply, get, describe, delete, and the typed create commands, whose bodies are protobuf).</summary>
public abstract class KubectlConfigMapSecretTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-config
        data:
          mode: production
          app.properties: |
            a=1
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: db-credentials
        type: kubernetes.io/basic-auth
        stringData:
          username: admin
          password: s3cr3t-pa55
        """;

    [Fact]
    public void ApplyGetDescribeDelete_ConfigMapAndSecret()
    {
        Ok(Server.KubectlWithInput(Manifests, "apply", "--validate=false", "-f", "-"));
        var maps = Ok(Server.Kubectl("get", "cm"));
        var secrets = Ok(Server.Kubectl("get", "secrets"));
        var password = Ok(Server.Kubectl("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}"));
        var described = Ok(Server.Kubectl("describe", "secret", "db-credentials"));
        Ok(Server.KubectlWithInput(Manifests.Replace("production", "staging", StringComparison.Ordinal), "apply", "--validate=false", "-f", "-"));
        var mode = Ok(Server.Kubectl("get", "configmap", "app-config", "-o", "jsonpath={.data.mode}"));
        var deleted = Ok(Server.Kubectl("delete", "secret", "db-credentials"));

        Assert.Matches(@"NAME\s+DATA\s+AGE", maps);
        Assert.Matches(@"app-config\s+2\s+\d+s", maps);
        Assert.Matches(@"NAME\s+TYPE\s+DATA\s+AGE", secrets);
        Assert.Matches(@"db-credentials\s+kubernetes.io/basic-auth\s+2\s+\d+s", secrets);
        Assert.Equal("s3cr3t-pa55", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(password)));
        Assert.Matches(@"password:\s+11 bytes", described);
        Assert.DoesNotContain("s3cr3t-pa55", described, StringComparison.Ordinal);
        Assert.Equal("staging", mode);
        Assert.Contains("secret \"db-credentials\" deleted", deleted, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateFromLiteral_ProtobufBodies_StoredAndReadBack()
    {
        Ok(Server.Kubectl("create", "secret", "generic", "token", "--from-literal=token=abc123"));
        Ok(Server.Kubectl("create", "configmap", "settings", "--from-literal=level=debug"));

        var token = Ok(Server.Kubectl("get", "secret", "token", "-o", "jsonpath={.type} {.data.token}"));
        var level = Ok(Server.Kubectl("get", "cm", "settings", "-o", "jsonpath={.data.level}"));

        Assert.Equal("Opaque " + Convert.ToBase64String("abc123"u8), token);
        Assert.Equal("debug", level);
    }

    [Fact]
    public void Apply_TlsSecretWithoutKey_ReportsTheField()
    {
        const string Manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: cert\n";

        var result = Server.KubectlWithInput(Manifest, "apply", "--validate=false", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Secret \"web-tls\" is invalid: data[tls.key]: Required value", result.Stderr, StringComparison.Ordinal);
    }

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"kubectl exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class KubectlConfigMapSecretOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : KubectlConfigMapSecretTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class KubectlConfigMapSecretOnEtcdTests(EtcdStoreBackend backend) : KubectlConfigMapSecretTests(backend), IClassFixture<EtcdStoreBackend>;
