using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>Lease validation, with Kubernetes' messages (pkg/apis/coordination/validation).</summary>
public sealed class LeaseValidationTests
{
    private static string[] Messages(LeaseSpec spec, string name = "lock") =>
        ObjectValidation.Validate(new Lease { Metadata = new() { Name = name, Namespace = "kube-system" }, Spec = spec })
            .Select(e => e.ToString()).ToArray();

    [Fact]
    public void Validate_FullSpec_IsValid()
    {
        var now = DateTimeOffset.UtcNow;

        Assert.Empty(Messages(new LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 }));
        Assert.Empty(Messages(new LeaseSpec { Strategy = "OldestEmulationVersion", PreferredHolder = "b" }));
        Assert.Empty(Messages(new LeaseSpec { Strategy = "example.com/mine" }));
    }

    [Theory]
    [InlineData(0, "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")]
    [InlineData(-5, "spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0")]
    public void Validate_DurationNotPositive_IsInvalid(int seconds, string message) =>
        Assert.Equal([message], Messages(new LeaseSpec { LeaseDurationSeconds = seconds }));

    [Fact]
    public void Validate_NegativeTransitions_IsInvalid() =>
        Assert.Equal(["spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"], Messages(new LeaseSpec { LeaseTransitions = -1 }));

    [Fact]
    public void Validate_PreferredHolderWithoutStrategy_IsForbidden() =>
        Assert.Equal(["spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"], Messages(new LeaseSpec { PreferredHolder = "b" }));

    [Fact]
    public void Validate_UnknownStrategy_IsNotSupported() =>
        Assert.Equal(["spec.strategy: Unsupported value: \"Newest\": supported values: \"OldestEmulationVersion\""], Messages(new LeaseSpec { Strategy = "Newest" }));

    [Fact]
    public void Validate_NameNotDnsSubdomain_IsInvalid() =>
        Assert.StartsWith("metadata.name: Invalid value: \"Lock_1\": a lowercase RFC 1123 subdomain", Assert.Single(Messages(new LeaseSpec(), "Lock_1")), StringComparison.Ordinal);
}
