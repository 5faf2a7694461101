using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>Object validation: each case checks the exact Kubernetes wording of the message.</summary>
public sealed class ObjectValidationTests
{
    private static Service ValidService() => new()
    {
        Metadata = new() { Name = "web", Namespace = "default" },
        Spec = new()
        {
            Selector = new() { ["app"] = "web" },
            Ports = [new() { Name = "http", Port = 80, TargetPort = IntOrString.FromInt(8080), Protocol = "TCP" }],
        },
    };

    private static Pod ValidPod() => new()
    {
        Metadata = new() { Name = "web-1", Namespace = "default", Labels = new() { ["app"] = "web" } },
        Spec = new() { Containers = [new() { Name = "nginx", Image = "nginx", Ports = [new() { Name = "http", Number = 80 }] }] },
    };

    private static ReplicationController ValidRc() => new()
    {
        Metadata = new() { Name = "web", Namespace = "default" },
        Spec = new()
        {
            Replicas = 2,
            Selector = new() { ["app"] = "web" },
            Template = new() { Metadata = new() { Labels = new() { ["app"] = "web", ["tier"] = "fe" } }, Spec = ValidPod().Spec },
        },
    };

    private static string[] Messages(KubeObject obj) => ObjectValidation.Validate(obj).Select(e => e.ToString()).ToArray();

    private static Pod PodWithEnvFrom(EnvVarSource source)
    {
        var pod = ValidPod();
        pod.Spec!.Containers![0].Env = [new() { Name = "K", ValueFrom = source }];
        return pod;
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Kept(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(json)!;

    [Fact]
    public void Validate_EnvValueFromKeptFileKeyRef_IsASource()
    {
        var pod = PodWithEnvFrom(new() { UnknownFields = Kept("""{"fileKeyRef":{"volumeName":"v","path":"p","key":"k"}}""") });

        Assert.Empty(Messages(pod));
    }

    [Fact]
    public void Validate_EnvValueFromNoSource_NamesEverySourceKind()
    {
        Assert.Equal(["spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"],
            Messages(PodWithEnvFrom(new())));
    }

    [Fact]
    public void Validate_EnvValueFromTwoSources_IsInvalid()
    {
        var pod = PodWithEnvFrom(new() { FieldRef = new() { FieldPath = "metadata.name" }, SecretKeyRef = new() { Name = "s", Key = "k" } });

        Assert.Equal(["spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time"], Messages(pod));
    }

    [Fact]
    public void Validate_ValidObjects_HaveNoErrors()
    {
        Assert.Empty(Messages(ValidService()));
        Assert.Empty(Messages(ValidPod()));
        Assert.Empty(Messages(ValidRc()));
        Assert.Empty(Messages(new Namespace { Metadata = new() { Name = "kube-system" } }));
        Assert.Empty(Messages(new Node { Metadata = new() { Name = "node-1.example" }, Spec = new() { PodCIDR = "198.18.1.0/24" } }));
    }

    [Theory]
    [InlineData(0, "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")]
    [InlineData(65536, "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive")]
    [InlineData(70000, "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    public void Validate_ServicePortOutOfRange_KubernetesWording(int port, string message)
    {
        var service = ValidService();
        service.Spec!.Ports![0].Port = port;

        Assert.Equal([message], Messages(service));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_ServicePortAtBounds_IsValid(int port)
    {
        var service = ValidService();
        service.Spec!.Ports![0].Port = port;

        Assert.Empty(Messages(service));
    }

    [Fact]
    public void Validate_UnknownProtocol_ListsSupportedValues()
    {
        var service = ValidService();
        service.Spec!.Ports![0].Protocol = "SCTPX";

        Assert.Equal(["spec.ports[0].protocol: Unsupported value: \"SCTPX\": supported values: \"TCP\", \"UDP\""], Messages(service));
    }

    [Theory]
    [InlineData(0, "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than or equal to 86400")]
    [InlineData(86401, "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than or equal to 86400")]
    [InlineData(1, null)]
    [InlineData(86400, null)]
    public void Validate_ClientIPTimeout_OneToOneDay(int timeout, string? message)
    {
        var service = ValidService();
        service.Spec!.SessionAffinity = SessionAffinities.ClientIP;
        service.Spec.SessionAffinityConfig = new() { ClientIP = new() { TimeoutSeconds = timeout } };

        Assert.Equal(message is null ? [] : [message], Messages(service));
    }

    [Fact]
    public void Validate_AffinityConfigWithoutClientIPAffinity_IsInvalid()
    {
        var service = ValidService();
        service.Spec!.SessionAffinityConfig = new() { ClientIP = new() { TimeoutSeconds = 60 } };

        Assert.Equal(["spec.sessionAffinityConfig: Invalid value: \"ClientIP\": must not be set when session affinity is None"], Messages(service));
    }

    [Fact]
    public void Validate_UnknownAffinityAndType_AreUnsupported()
    {
        var service = ValidService();
        service.Spec!.SessionAffinity = "Cookie";
        service.Spec.Type = "Magic";

        Assert.Equal(
            [
                "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"NodePort\", \"LoadBalancer\"",
                "spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"None\", \"ClientIP\"",
            ],
            Messages(service));
    }

    [Fact]
    public void Validate_ServiceNameNotDns1035_NamesTheRule()
    {
        var service = ValidService();
        service.Metadata.Name = "1web";

        var message = Assert.Single(Messages(service));
        Assert.StartsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MultiplePortsWithoutNames_RequiresNamesAndRejectsDuplicates()
    {
        var service = ValidService();
        service.Spec!.Ports = [new() { Port = 80 }, new() { Name = "b", Port = 80 }, new() { Name = "b", Port = 81, TargetPort = IntOrString.FromString("Not_A_Name") }];

        var messages = Messages(service);

        Assert.Contains("spec.ports[0].name: Required value", messages);
        Assert.Contains("spec.ports[1]: Duplicate value: \"80/TCP\"", messages);
        Assert.Contains("spec.ports[2].name: Duplicate value: \"b\"", messages);
        Assert.Contains(messages, m => m.StartsWith("spec.ports[2].targetPort: Invalid value: \"Not_A_Name\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("80-8080", null)]
    [InlineData("9090", null)]
    [InlineData("a-very-long-port-name", null)]
    [InlineData("Http", "spec.ports[0].name: Invalid value: \"Http\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    public void Validate_ServicePortName_IsADnsLabelNotAnIanaName(string name, string? message)
    {
        // kubectl create service clusterip foo --tcp=80:8080 names its port "80-8080".
        var service = ValidService();
        service.Spec!.Ports![0].Name = name;

        Assert.Equal(message is null ? [] : [message], Messages(service));
    }

    [Fact]
    public void Validate_NodePortOnClusterIPService_IsForbidden()
    {
        var service = ValidService();
        service.Spec!.Ports![0].NodePort = 30080;

        Assert.Equal(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"], Messages(service));
    }

    [Theory]
    [InlineData("198.18.0", "spec.clusterIP: Invalid value: \"198.18.0\": must be empty, 'None', or a valid IP address")]
    [InlineData("None", null)]
    [InlineData("198.18.0.1", null)]
    public void Validate_ClusterIP(string clusterIP, string? message)
    {
        var service = ValidService();
        service.Spec!.ClusterIP = clusterIP;

        Assert.Equal(message is null ? [] : [message], Messages(service));
    }

    [Theory]
    [InlineData("127.0.0.1", "may not be in the loopback range (127.0.0.0/8)")]
    [InlineData("0.0.0.0", "may not be unspecified (0.0.0.0)")]
    [InlineData("224.0.0.5", "may not be in the multicast range (224.0.0.0/4)")]
    [InlineData("169.254.1.1", "may not be in the link-local range (169.254.0.0/16)")]
    [InlineData("not-an-ip", "must be a valid IP address")]
    public void Validate_SpecialExternalIPs_AreRejected(string ip, string detail)
    {
        var service = ValidService();
        service.Spec!.ExternalIPs = ["198.19.0.1", ip];

        Assert.Equal([$"spec.externalIPs[1]: Invalid value: \"{ip}\": {detail}"], Messages(service));
    }

    [Fact]
    public void Validate_MissingNameAndNamespace_AreRequired()
    {
        var pod = ValidPod();
        pod.Metadata.Name = null;
        pod.Metadata.Namespace = null;

        Assert.Equal(
            ["metadata.name: Required value: name or generateName is required", "metadata.namespace: Required value"],
            Messages(pod));
    }

    [Fact]
    public void Validate_GenerateNameEndingInDash_IsValid()
    {
        var pod = ValidPod();
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "web-";

        Assert.Empty(Messages(pod));
    }

    [Fact]
    public void Validate_BadLabels_NameKeyAndValue()
    {
        var pod = ValidPod();
        pod.Metadata.Labels = new() { ["bad key"] = "ok", ["ok"] = new string('v', 64) };

        var messages = Messages(pod);

        Assert.Equal(2, messages.Length);
        Assert.StartsWith("metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters", messages[0], StringComparison.Ordinal);
        Assert.Equal($"metadata.labels: Invalid value: \"{new string('v', 64)}\": must be no more than 63 characters", messages[1]);
    }

    [Fact]
    public void Validate_NamespaceOnClusterScopedKind_IsForbidden()
    {
        var node = new Node { Metadata = new() { Name = "n", Namespace = "default" } };

        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], Messages(node));
    }

    [Fact]
    public void Validate_PodWithoutContainers_RequiresThem()
    {
        var pod = ValidPod();
        pod.Spec!.Containers = [];

        Assert.Equal(["spec.containers: Required value"], Messages(pod));
    }

    [Fact]
    public void Validate_PodContainerProblems_EachNamed()
    {
        var pod = ValidPod();
        var c = pod.Spec!.Containers![0];
        c.Image = "";
        c.Ports = [new() { Number = 0 }, new() { Name = "http", Number = 70000, Protocol = "ICMP" }, new() { Name = "http", Number = 81 }];
        c.Env = [new() { Name = "1BAD" }, new() { Name = "IP", Value = "x", ValueFrom = new() { FieldRef = new() { FieldPath = "status.secret" } } }];
        c.Resources = new() { Requests = new() { ["cpu"] = Quantity.Parse("2") }, Limits = new() { ["cpu"] = Quantity.Parse("500m") } };
        c.LivenessProbe = new() { PeriodSeconds = -1 };
        c.ReadinessProbe = new() { Exec = new() { Command = ["true"] }, TcpSocket = new() { Port = IntOrString.FromInt(80) } };
        pod.Spec.Containers.Add(new() { Name = "nginx", Image = "x" });
        pod.Spec.RestartPolicy = "Sometimes";

        var messages = Messages(pod);

        Assert.Contains("spec.containers[0].image: Required value", messages);
        Assert.Contains("spec.containers[0].ports[0].containerPort: Required value", messages);
        Assert.Contains("spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive", messages);
        Assert.Contains("spec.containers[0].ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\"", messages);
        Assert.Contains("spec.containers[0].ports[2].name: Duplicate value: \"http\"", messages);
        Assert.Contains(messages, m => m.StartsWith("spec.containers[0].env[0].name: Invalid value: \"1BAD\": a valid environment variable name", StringComparison.Ordinal));
        Assert.Contains("spec.containers[0].env[1].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty", messages);
        Assert.Contains(messages, m => m.StartsWith("spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.secret\"", StringComparison.Ordinal));
        Assert.Contains("spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit", messages);
        Assert.Contains("spec.containers[0].livenessProbe: Required value: must specify a handler type", messages);
        Assert.Contains("spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0", messages);
        Assert.Contains("spec.containers[0].readinessProbe: Forbidden: may not specify more than 1 handler type", messages);
        Assert.Contains("spec.containers[1].name: Duplicate value: \"nginx\"", messages);
        Assert.Contains("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", messages);
    }

    [Fact]
    public void Validate_FieldRefToOneLabel_IsValid()
    {
        var pod = ValidPod();
        pod.Spec!.Containers![0].Env = [new() { Name = "APP", ValueFrom = new() { FieldRef = new() { FieldPath = "metadata.labels['app']" } } }];

        Assert.Empty(Messages(pod));
    }

    [Fact]
    public void Validate_RcTemplateLabelsNotMatchingSelector_KubernetesWording()
    {
        var rc = ValidRc();
        rc.Spec!.Template!.Metadata!.Labels = new() { ["app"] = "other" };

        Assert.Equal(
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"],
            Messages(rc));
    }

    [Fact]
    public void Validate_RcProblems_EachNamed()
    {
        var rc = ValidRc();
        rc.Spec!.Replicas = -1;
        rc.Spec.Template!.Spec!.RestartPolicy = RestartPolicies.OnFailure;

        Assert.Equal(
            [
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
            ],
            Messages(rc));
    }

    [Fact]
    public void Validate_RcWithoutSelectorOrTemplate_RequiresThem()
    {
        var rc = new ReplicationController { Metadata = new() { Name = "a", Namespace = "default" }, Spec = new() };

        Assert.Equal(["spec.selector: Required value", "spec.template: Required value"], Messages(rc));
    }

    [Fact]
    public void Validate_EndpointsBadAddressAndPort_Named()
    {
        var endpoints = new Endpoints
        {
            Metadata = new() { Name = "web", Namespace = "default" },
            Subsets = [new() { Addresses = [new() { Ip = "198.18.1.300" }], Ports = [new() { Port = 0, Protocol = "TCP" }] }, new()],
        };

        Assert.Equal(
            [
                "subsets[0].addresses[0].ip: Invalid value: \"198.18.1.300\": must be a valid IPv4 address",
                "subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`",
            ],
            Messages(endpoints));
    }

    [Fact]
    public void Validate_NodeBadCidr_Named()
    {
        var node = new Node { Metadata = new() { Name = "n" }, Spec = new() { PodCIDR = "198.18.1.0/33" } };

        Assert.Equal(["spec.podCIDR: Invalid value: \"198.18.1.0/33\": must be a valid CIDR"], Messages(node));
    }

    [Fact]
    public void ToStatus_InvalidService_IsKubernetes422()
    {
        var service = ValidService();
        service.Spec!.Ports![0].Port = 70000;

        var status = ObjectValidation.ToStatus("Service", "web", ObjectValidation.Validate(service));

        Assert.Equal(422, status.Code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Failure", status.Result);
        Assert.Equal("Service \"web\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive", status.Message);
        var cause = Assert.Single(status.Details!.Causes!);
        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Equal("spec.ports[0].port", cause.Field);
        Assert.Equal("Invalid value: 70000: must be between 1 and 65535, inclusive", cause.Message);
    }

    [Fact]
    public void ToStatus_SeveralErrors_AreBracketed()
    {
        var status = ObjectValidation.ToStatus("Pod", "p", [FieldError.Required(FieldPath.Root("a")), FieldError.Required(FieldPath.Root("b"))]);

        Assert.Equal("Pod \"p\" is invalid: [a: Required value, b: Required value]", status.Message);
    }
}
