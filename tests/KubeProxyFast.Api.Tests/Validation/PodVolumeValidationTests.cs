using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>Volumes, volumeMounts, dnsConfig and the env sources: Kubernetes' rules and wording.</summary>
public sealed class PodVolumeValidationTests
{
    private static Pod Pod(Action<PodSpec, Container> edit)
    {
        var container = new Container { Name = "c", Image = "busybox" };
        var spec = new PodSpec { Containers = [container] };
        edit(spec, container);
        return new Pod { Metadata = new() { Name = "p", Namespace = "default" }, Spec = spec };
    }

    private static string[] Messages(Pod pod) => ObjectValidation.Validate(pod).Select(e => e.ToString()).ToArray();

    [Fact]
    public void Validate_EveryModelledSourceAndMount_IsValid()
    {
        var pod = Pod((spec, c) =>
        {
            spec.Volumes =
            [
                new() { Name = "scratch", EmptyDir = new() { Medium = "Memory", SizeLimit = Quantity.Parse("64Mi") } },
                new() { Name = "host", HostPath = new() { Path = "/var/log", Type = "DirectoryOrCreate" } },
                new() { Name = "cfg", ConfigMap = new() { Name = "cm", Items = [new() { Key = "a", Path = "dir/a.conf", Mode = 256 /* 0400 */ }], DefaultMode = 420 /* 0644 */ } },
                new() { Name = "sec", Secret = new() { SecretName = "s", Optional = true } },
            ];
            c.VolumeMounts =
            [
                new() { Name = "scratch", MountPath = "/scratch" },
                new() { Name = "host", MountPath = "/logs", ReadOnly = true, SubPath = "app" },
                new() { Name = "cfg", MountPath = "/etc/app" },
            ];
        });

        Assert.Empty(Messages(pod));
    }

    [Fact]
    public void Validate_VolumeNamesNotLabelsOrDuplicated_AreInvalid()
    {
        var pod = Pod((spec, _) => spec.Volumes =
        [
            new() { Name = "Data", EmptyDir = new() },
            new() { Name = "x", EmptyDir = new() },
            new() { Name = "x", EmptyDir = new() },
            new() { EmptyDir = new() },
        ]);

        Assert.Equal(
        [
            "spec.volumes[0].name: Invalid value: \"Data\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "spec.volumes[2].name: Duplicate value: \"x\"",
            "spec.volumes[3].name: Required value",
        ], Messages(pod));
    }

    [Fact]
    public void Validate_NoSourceOrTwoSources_AreRefused()
    {
        var pod = Pod((spec, _) => spec.Volumes =
        [
            new() { Name = "none" },
            new() { Name = "two", EmptyDir = new(), HostPath = new() { Path = "/x" } },
        ]);

        Assert.Equal(
        [
            "spec.volumes[0]: Required value: must specify a volume type",
            "spec.volumes[1].emptyDir: Forbidden: may not specify more than 1 volume type",
        ], Messages(pod));
    }

    [Fact]
    public void Validate_UnmodelledSourceKeptAsWritten_CountsAsTheSource()
    {
        var kept = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{"persistentVolumeClaim":{"claimName":"c"}}""")!;
        var pod = Pod((spec, _) => spec.Volumes = [new() { Name = "pvc", UnknownFields = kept }]);

        Assert.Empty(Messages(pod));
    }

    [Fact]
    public void Validate_HostPathTypeAndBacksteps_AreChecked()
    {
        var pod = Pod((spec, _) => spec.Volumes =
        [
            new() { Name = "a", HostPath = new() { Path = "/var/../etc", Type = "Dir" } },
            new() { Name = "b", HostPath = new() { Path = "" } },
        ]);

        Assert.Equal(
        [
            "spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'",
            "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"",
            "spec.volumes[1].hostPath.path: Required value",
        ], Messages(pod));
    }

    [Fact]
    public void Validate_EmptyDirMediumAndNegativeSize_AreRefused()
    {
        var pod = Pod((spec, _) => spec.Volumes =
        [
            new() { Name = "a", EmptyDir = new() { Medium = "Disk" } },
            new() { Name = "b", EmptyDir = new() { SizeLimit = Quantity.Parse("-1") } },
            new() { Name = "c", EmptyDir = new() { Medium = "HugePages-2Mi" } },
        ]);

        Assert.Equal(
        [
            "spec.volumes[0].emptyDir.medium: Unsupported value: \"Disk\": supported values: \"\", \"HugePages\", \"Memory\"",
            "spec.volumes[1].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity",
        ], Messages(pod));
    }

    [Fact]
    public void Validate_ProjectionNamesItemsAndModes_AreChecked()
    {
        var pod = Pod((spec, _) => spec.Volumes =
        [
            new() { Name = "a", ConfigMap = new() { DefaultMode = 512 /* 01000 */, Items = [new() { Key = "", Path = "../x", Mode = -1 }] } },
            new() { Name = "b", Secret = new() { Items = [new() { Key = "k", Path = "/abs" }, new() { Key = "k", Path = "..data" }] } },
        ]);

        Assert.Equal(
        [
            "spec.volumes[0].configMap.name: Required value",
            "spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
            "spec.volumes[0].configMap.items[0].key: Required value",
            "spec.volumes[0].configMap.items[0].path: Invalid value: \"../x\": must not contain '..'",
            "spec.volumes[0].configMap.items[0].path: Invalid value: \"../x\": must not start with '..'",
            "spec.volumes[0].configMap.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive",
            "spec.volumes[1].secret.secretName: Required value",
            "spec.volumes[1].secret.items[0].path: Invalid value: \"/abs\": must be a relative path",
            "spec.volumes[1].secret.items[1].path: Invalid value: \"..data\": must not start with '..'",
        ], Messages(pod));
    }

    [Fact]
    public void Validate_VolumeMounts_NameMustExistPathUniqueSubPathRelative()
    {
        var pod = Pod((spec, c) =>
        {
            spec.Volumes = [new() { Name = "v", EmptyDir = new() }];
            c.VolumeMounts =
            [
                new() { Name = "missing", MountPath = "/a" },
                new() { Name = "v", MountPath = "/a" },
                new() { Name = "v", MountPath = "" },
                new() { Name = "v", MountPath = "/b", SubPath = "/etc" },
                new() { Name = "v", MountPath = "/c", SubPath = "x/../../y" },
            ];
        });

        Assert.Equal(
        [
            "spec.containers[0].volumeMounts[0].name: Not found: \"missing\"",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/a\": must be unique",
            "spec.containers[0].volumeMounts[2].mountPath: Required value",
            "spec.containers[0].volumeMounts[3].subPath: Invalid value: \"/etc\": must be a relative path",
            "spec.containers[0].volumeMounts[4].subPath: Invalid value: \"x/../../y\": must not contain '..'",
        ], Messages(pod));
    }

    [Fact]
    public void Validate_DnsPolicyNone_NeedsConfigWithANameserver()
    {
        Assert.Equal(["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
            Messages(Pod((spec, _) => spec.DnsPolicy = "None")));
        Assert.Equal(["spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"],
            Messages(Pod((spec, _) => { spec.DnsPolicy = "None"; spec.DnsConfig = new() { Searches = ["a.example"] }; })));
        Assert.Empty(Messages(Pod((spec, _) => { spec.DnsPolicy = "None"; spec.DnsConfig = new() { Nameservers = ["198.18.0.10"] }; })));
    }

    [Fact]
    public void Validate_DnsConfigLimits_AsKubernetes()
    {
        var searches = Enumerable.Range(0, 33).Select(i => "s" + i + ".example").ToList();
        var pod = Pod((spec, _) => spec.DnsConfig = new()
        {
            Nameservers = ["198.18.0.1", "198.18.0.2", "198.18.0.3", "nope"],
            Searches = searches,
            Options = [new() { Name = "ndots", Value = "2" }, new() { Value = "1" }],
        });

        var messages = Messages(pod);

        Assert.Equal(
        [
            "spec.dnsConfig.nameservers: Invalid value: []string{\"198.18.0.1\", \"198.18.0.2\", \"198.18.0.3\", \"nope\"}: must not have more than 3 nameservers",
            "spec.dnsConfig.nameservers[3]: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "spec.dnsConfig.searches: Invalid value: []string{" + string.Join(", ", searches.Select(s => "\"" + s + "\"")) + "}: must not have more than 32 search paths",
            "spec.dnsConfig.options[1]: Required value: must not be empty",
        ], messages);
    }

    [Fact]
    public void Validate_DnsSearchTrailingDot_IsFine_AndOverlongListIsRefused()
    {
        Assert.Empty(Messages(Pod((spec, _) => spec.DnsConfig = new() { Searches = ["svc.cluster.local."] })));

        var longNames = Enumerable.Range(0, 11).Select(i => new string((char)('a' + i), 63) + "." + new string('b', 63) + "." + new string('c', 63) + ".x").ToList();
        var messages = Messages(Pod((spec, _) => spec.DnsConfig = new() { Searches = longNames }));

        Assert.Single(messages);
        Assert.EndsWith("must not have more than 2048 characters (including spaces) in the search list", messages[0], StringComparison.Ordinal);
    }

    private static Pod EnvPod(EnvVarSource source) => Pod((_, c) => c.Env = [new() { Name = "V", ValueFrom = source }]);

    [Fact]
    public void Validate_EnvSources_ValidOnes()
    {
        Assert.Empty(Messages(EnvPod(new() { ResourceFieldRef = new() { Resource = "limits.memory", Divisor = Quantity.Parse("1Mi") } })));
        Assert.Empty(Messages(EnvPod(new() { ResourceFieldRef = new() { Resource = "requests.cpu", Divisor = Quantity.Parse("1m") } })));
        Assert.Empty(Messages(EnvPod(new() { ConfigMapKeyRef = new() { Name = "cm", Key = "k.ey_1" } })));
        Assert.Empty(Messages(EnvPod(new() { SecretKeyRef = new() { Name = "s", Key = "password", Optional = true } })));
        Assert.Empty(Messages(EnvPod(new() { FieldRef = new() { FieldPath = "status.hostIPs" } })));
        Assert.Empty(Messages(EnvPod(new() { FieldRef = new() { FieldPath = "metadata.labels['app']" } })));
    }

    [Fact]
    public void Validate_EnvTwoModelledSources_IsInvalid()
    {
        Assert.Equal(["spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time"],
            Messages(EnvPod(new() { ConfigMapKeyRef = new() { Name = "cm", Key = "k" }, SecretKeyRef = new() { Name = "s", Key = "k" } })));
    }

    [Fact]
    public void Validate_EnvFieldRefWholeLabels_IsNotSupportedForEnv()
    {
        Assert.Equal(["spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""],
            Messages(EnvPod(new() { FieldRef = new() { FieldPath = "metadata.labels" } })));
    }

    [Fact]
    public void Validate_EnvResourceFieldRef_ResourceAndDivisor()
    {
        Assert.Equal(["spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\""],
            Messages(EnvPod(new() { ResourceFieldRef = new() { Resource = "limits.gpu" } })));
        Assert.Equal(["spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource"],
            Messages(EnvPod(new() { ResourceFieldRef = new() { Resource = "limits.cpu", Divisor = Quantity.Parse("2") } })));
        Assert.Equal(["spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"requests.memory\": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"],
            Messages(EnvPod(new() { ResourceFieldRef = new() { Resource = "requests.memory", Divisor = Quantity.Parse("3Mi") } })));
        Assert.Equal(["spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Required value"],
            Messages(EnvPod(new() { ResourceFieldRef = new() })));
    }

    [Fact]
    public void Validate_EnvKeySelectors_NameAndKey()
    {
        Assert.Equal(
        [
            "spec.containers[0].env[0].valueFrom.secretKeyRef.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value",
        ], Messages(EnvPod(new() { SecretKeyRef = new() { Name = "Bad_Name" } })));
        Assert.Equal(["spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
            Messages(EnvPod(new() { ConfigMapKeyRef = new() { Name = "cm", Key = "a/b" } })));
    }

    [Fact]
    public void Validate_StartupProbe_SuccessThresholdMustBeOne()
    {
        Assert.Equal(["spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"],
            Messages(Pod((_, c) => c.StartupProbe = new() { Exec = new() { Command = ["true"] }, SuccessThreshold = 2 })));
    }
}
