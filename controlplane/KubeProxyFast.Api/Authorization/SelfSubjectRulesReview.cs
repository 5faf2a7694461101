using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectRulesReview: the actions the requester may perform in a
/// namespace (<c>kubectl auth can-i --list</c>). An enumeration for user interfaces, not an authorization decision.
/// </summary>
public sealed class SelfSubjectRulesReview : KubeObject
{
    /// <summary>The namespace to list the rules of.</summary>
    public SelfSubjectRulesReviewSpec Spec { get; set; } = new();

    /// <summary>The rules, filled by the server.</summary>
    public SubjectRulesReviewStatus? Status { get; set; }
}

/// <summary>authorization.k8s.io/v1 SelfSubjectRulesReviewSpec.</summary>
public sealed class SelfSubjectRulesReviewSpec : Extensible
{
    /// <summary>The namespace to evaluate rules in (required).</summary>
    public string? Namespace { get; set; }
}

/// <summary>authorization.k8s.io/v1 SubjectRulesReviewStatus: the rules, possibly incomplete.</summary>
public sealed class SubjectRulesReviewStatus : Extensible
{
    /// <summary>The actions allowed on resources (always written).</summary>
    public List<ResourceRule> ResourceRules { get; set; } = [];

    /// <summary>The actions allowed on non-resource paths (always written).</summary>
    public List<NonResourceRule> NonResourceRules { get; set; } = [];

    /// <summary>True when an authorizer cannot enumerate its rules, so the list may miss some (always written).</summary>
    public bool Incomplete { get; set; }

    /// <summary>An error while listing the rules.</summary>
    public string? EvaluationError { get; set; }
}

/// <summary>authorization.k8s.io/v1 ResourceRule: verbs on resources of API groups, optionally on named objects.</summary>
public sealed class ResourceRule : Extensible
{
    /// <summary>The verbs; <c>*</c> for all (always written).</summary>
    public List<string> Verbs { get; set; } = [];

    /// <summary>The API groups; <c>*</c> for all.</summary>
    public List<string>? ApiGroups { get; set; }

    /// <summary>The resources (with <c>/subresource</c>); <c>*</c> for all.</summary>
    public List<string>? Resources { get; set; }

    /// <summary>The object names; empty for all.</summary>
    public List<string>? ResourceNames { get; set; }
}

/// <summary>authorization.k8s.io/v1 NonResourceRule: verbs on non-resource paths.</summary>
public sealed class NonResourceRule : Extensible
{
    /// <summary>The lowercase HTTP verbs; <c>*</c> for all (always written).</summary>
    public List<string> Verbs { get; set; } = [];

    /// <summary>The paths, a trailing <c>*</c> matching any suffix.</summary>
    [JsonPropertyName("nonResourceURLs")]
    public List<string>? NonResourceUrls { get; set; }
}
