using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>Tolerations and node affinity, validated with Kubernetes' messages (pkg/apis/core/validation).</summary>
public sealed class PodSchedulingValidationTests
{
    private static string[] Messages(PodSpec spec)
    {
        spec.Containers = [new Container { Name = "c", Image = "busybox" }];
        return PodValidation.Validate(new Pod { Metadata = new() { Name = "p", Namespace = "default" }, Spec = spec })
            .Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void Validate_WellFormedTolerationsAndAffinity_IsValid() =>
        Assert.Empty(Messages(new PodSpec
        {
            Tolerations =
            [
                new Toleration { Key = "dedicated", Operator = "Equal", Value = "gpu", Effect = "NoSchedule" },
                new Toleration { Operator = "Exists" },
                new Toleration { Key = "node.kubernetes.io/unreachable", Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
            ],
            Affinity = new Affinity
            {
                NodeAffinity = new NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                    {
                        NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new() { Key = "disk", Operator = "In", Values = ["ssd"] }] }],
                    },
                    PreferredDuringSchedulingIgnoredDuringExecution = [new PreferredSchedulingTerm { Weight = 10, Preference = new() { MatchFields = [new() { Key = "metadata.name", Operator = "In", Values = ["n1"] }] } }],
                },
            },
        }));

    [Fact]
    public void Validate_BadTolerationOperatorAndEffect_NamesSupportedValues() =>
        Assert.Equal(
            [
                "spec.tolerations[0].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\"",
                "spec.tolerations[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            ],
            Messages(new PodSpec { Tolerations = [new Toleration { Key = "k", Operator = "Maybe", Effect = "Sometimes" }] }));

    [Fact]
    public void Validate_EmptyKeyWithoutExists_IsInvalid() =>
        Assert.Equal(
            ["spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""],
            Messages(new PodSpec { Tolerations = [new Toleration { Operator = "Equal" }] }));

    [Fact]
    public void Validate_TolerationSecondsWithoutNoExecute_IsInvalid() =>
        Assert.Equal(
            ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"],
            Messages(new PodSpec { Tolerations = [new Toleration { Key = "k", Operator = "Exists", Effect = "NoSchedule", TolerationSeconds = 5 }] }));

    [Fact]
    public void Validate_AffinityWithoutTermsAndBadOperator_IsInvalid() =>
        Assert.Equal(
            [
                "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator",
            ],
            Messages(new PodSpec
            {
                Affinity = new Affinity
                {
                    NodeAffinity = new NodeAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector(),
                        PreferredDuringSchedulingIgnoredDuringExecution = [new PreferredSchedulingTerm { Preference = new() { MatchExpressions = [new() { Key = "k", Operator = "Like" }] } }],
                    },
                },
            }));
}
