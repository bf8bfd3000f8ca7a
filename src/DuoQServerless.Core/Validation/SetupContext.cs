using DuoQServerless.Core.Iam;

namespace DuoQServerless.Core.Validation;

/// <summary>The instance id the checks expect, and where it came from (shown in evidence).</summary>
public sealed record ExpectedInstanceId(string? Id, string Source)
{
    public bool IsKnown => Id is not null;
}

/// <summary>What several checks derive from the facts, computed once per validation.</summary>
internal sealed class SetupContext
{
    private SetupContext(DuoQSetupFacts facts, DateTimeOffset now)
    {
        Facts = facts;
        Now = now;
        RoleArn = facts.Role is Observation<RoleFacts>.Seen role
            ? role.Value.Arn
            : $"arn:aws:iam::{facts.AccountId}:role/{facts.RoleName}";
        GitLabProviders = facts.OidcProviders is Observation<IReadOnlyList<OidcProviderFacts>>.Seen seen
            ? seen.Value.Where(p => CloudConnectorIdentity.InstanceIdFromUrl(p.Url) is not null).ToArray()
            : [];
        (RolePolicies, RolePolicyProblems) = LoadRolePolicies(facts.Role);
        Expected = ResolveInstanceId(facts, GitLabProviders);
    }

    public DuoQSetupFacts Facts { get; }
    public DateTimeOffset Now { get; }
    public string RoleArn { get; }
    public IReadOnlyList<OidcProviderFacts> GitLabProviders { get; }
    public ExpectedInstanceId Expected { get; }

    /// <summary>The role's inline and attached policies that could be read and parsed.</summary>
    public IReadOnlyList<NamedPolicy> RolePolicies { get; }

    /// <summary>Policies that could not be evaluated, and why.</summary>
    public IReadOnlyList<string> RolePolicyProblems { get; }

    public bool ManagedPolicyAttached => Facts.Role is Observation<RoleFacts>.Seen role
        && role.Value.AttachedPolicies.Any(p => p.PolicyArn == DuoQGuide.ManagedPolicyArn);

    public static SetupContext From(DuoQSetupFacts facts, DateTimeOffset now) => new(facts, now);

    /// <summary>Condition keys the role's requests carry, so conditions on them can be evaluated.</summary>
    public RequestContext RoleRequestContext() => RequestContext.Empty
        .With("aws:RequestedRegion", Facts.Region)
        .With("aws:PrincipalAccount", Facts.AccountId)
        .With("aws:PrincipalArn", RoleArn)
        .With("aws:PrincipalType", "AssumedRole");

    private static ExpectedInstanceId ResolveInstanceId(DuoQSetupFacts facts, IReadOnlyList<OidcProviderFacts> providers)
    {
        if (!string.IsNullOrWhiteSpace(facts.InstanceIdArgument))
            return new ExpectedInstanceId(facts.InstanceIdArgument.Trim(), "--instance-id");
        if (facts.GitLab.ServicePingUuid is Observation<string>.Seen uuid)
            return new ExpectedInstanceId(uuid.Value, "GitLab's Service Ping (no --instance-id given)");
        if (providers.Count == 1)
            return new ExpectedInstanceId(CloudConnectorIdentity.InstanceIdFromUrl(providers[0].Url), "the account's only GitLab identity provider (no --instance-id given)");
        return new ExpectedInstanceId(null, providers.Count == 0
            ? "no --instance-id given and no GitLab identity provider found"
            : $"no --instance-id given and {providers.Count} GitLab identity providers found");
    }

    private static (IReadOnlyList<NamedPolicy>, IReadOnlyList<string>) LoadRolePolicies(Observation<RoleFacts> observed)
    {
        if (observed is not Observation<RoleFacts>.Seen { Value: var role }) return ([], []);
        var policies = new List<NamedPolicy>();
        var problems = new List<string>();

        void Add(string name, string document)
        {
            if (PolicyDocument.TryParse(document, out var parsed, out var error)) policies.Add(new NamedPolicy(name, parsed));
            else problems.Add($"{name} is not a valid policy document ({error}); not evaluated");
        }

        foreach (var inline in role.InlinePolicies) Add($"inline policy {inline.PolicyName}", inline.Document);
        foreach (var attached in role.AttachedPolicies)
        {
            if (attached.DefaultVersionDocument is { } document) Add(attached.PolicyArn, document);
            // The AWS managed policy's published v1 document stands in when its version could not be read.
            else if (attached.PolicyArn == DuoQGuide.ManagedPolicyArn)
            {
                Add(attached.PolicyArn, DuoQGuide.PermissionsPolicyDocument);
                problems.Add($"{attached.PolicyArn}: its default version could not be read; its published v1 document was evaluated");
            }
            else problems.Add($"{attached.PolicyArn}: its default version could not be read{(attached.Unreadable is { } why ? $" ({why})" : "")}; not evaluated");
        }
        return (policies, problems);
    }
}
