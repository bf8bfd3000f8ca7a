using DuoQServerless.Core.Iam;

namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 11: the instance UUID GitLab reports (Service Ping <c>uuid</c>), the one the
/// administrator passed, and the one in the IAM identity provider's URL agree. A disagreement is
/// the guide's "GitLab instance UUID mismatch" case. The role's trust policy is compared with the
/// same expected id by check 2, so a wrong trust policy fails one check, not two; its ids are
/// shown here for the recovery steps.
/// </summary>
internal static class InstanceUuidCheck
{
    private static CheckDefinition Check => DuoQChecks.InstanceUuid;

    public static CheckResult Run(SetupContext context)
    {
        var facts = context.Facts;
        var places = new List<(string Place, string Id)>();
        var evidence = new List<string>();

        if (!string.IsNullOrWhiteSpace(facts.InstanceIdArgument)) places.Add(("--instance-id", facts.InstanceIdArgument.Trim()));
        foreach (var provider in context.GitLabProviders)
            places.Add(($"identity provider {provider.Arn}", CloudConnectorIdentity.InstanceIdFromUrl(provider.Url)!));

        switch (facts.GitLab.ServicePingUuid)
        {
            case Observation<string>.Seen { Value: var uuid }:
                places.Add(("GitLab (Service Ping uuid)", uuid));
                break;
            case Observation<string>.NotAsked notAsked:
                evidence.Add($"GitLab's UUID not read: {notAsked.Why}");
                break;
            case Observation<string>.Absent absent:
                evidence.Add($"GitLab's UUID not available: {absent.What}");
                break;
            case Observation<string>.Unavailable unavailable:
                evidence.Add($"GitLab's UUID could not be read: {unavailable.Error}");
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        evidence.InsertRange(0, places.Select(p => $"{p.Place}: {p.Id}"));
        evidence.AddRange(TrustPolicyIds(facts.Role).Select(id => $"role trust policy names instance {id} (compared with the expected id by check 2)"));

        // The reference is what GitLab says, else what the administrator says; providers for other
        // instances are fine as long as one matches it.
        var reference = places.FirstOrDefault(p => p.Place.StartsWith("GitLab", StringComparison.Ordinal));
        if (reference == default) reference = places.FirstOrDefault(p => p.Place == "--instance-id");
        if (reference == default || places.Count < 2)
            return Check.Skipped(
                $"fewer than two places to compare ({string.Join(", ", places.Select(p => p.Place).DefaultIfEmpty("none"))})",
                "Give --instance-id, and a GitLab URL with an admin token whose scopes include read_service_ping.");

        var disagreeing = new List<string>();
        var argument = places.Where(p => p.Place == "--instance-id").ToArray();
        var providers = places.Where(p => p.Place.StartsWith("identity provider", StringComparison.Ordinal)).ToArray();
        disagreeing.AddRange(argument.Where(p => p.Id != reference.Id).Select(p => $"{p.Place} {p.Id} differs from {reference.Place} {reference.Id}"));
        if (providers.Length > 0 && providers.All(p => p.Id != reference.Id))
            disagreeing.Add($"no identity provider is for {reference.Place} {reference.Id}; the account has providers for [{string.Join(", ", providers.Select(p => p.Id))}]");

        if (disagreeing.Count == 0) return Check.Pass([.. evidence, $"all agree on {reference.Id}"]);
        return Check.Fail([.. disagreeing, .. evidence], Fixes.UuidMismatch());
    }

    private static IEnumerable<string> TrustPolicyIds(Observation<RoleFacts> role)
    {
        if (role is not Observation<RoleFacts>.Seen { Value: var facts }
            || !PolicyDocument.TryParse(facts.TrustPolicyDocument, out var document, out _))
            return [];
        var fromPrincipals = document.Statements
            .SelectMany(s => s.Principals?.Entries ?? [])
            .Where(e => e.Type == RequestPrincipal.FederatedType)
            .Select(e => CloudConnectorIdentity.InstanceIdFromArn(e.Value));
        var fromConditions = document.Statements
            .SelectMany(s => s.Conditions)
            .Select(c => CloudConnectorIdentity.InstanceIdFromConditionKey(c.Key));
        return fromPrincipals.Concat(fromConditions).OfType<string>().Distinct(StringComparer.Ordinal);
    }
}
