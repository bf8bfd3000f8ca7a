using DuoQServerless.Core.Iam;

namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 4: the role's policies, evaluated (Allow/Deny, wildcards, NotAction), allow every Amazon
/// Q action of the guide on its resource; grants far beyond that are a warning.
/// </summary>
internal static class PermissionsCheck
{
    private static CheckDefinition Check => DuoQChecks.Permissions;

    public static CheckResult Run(SetupContext context)
    {
        if (RoleObservation.NotUsable(Check, context) is { } early) return early;
        var role = ((Observation<RoleFacts>.Seen)context.Facts.Role).Value;
        var pluginResource = $"arn:aws:qdeveloper:{context.Facts.Region}:{context.Facts.AccountId}:plugin/GitLabDuoWithAmazonQ/*";
        var required = DuoQGuide.ActionsOnAnyResource.Select(a => (Action: a, Resource: "*"))
            .Concat(DuoQGuide.PluginActions.Select(a => (Action: a, Resource: pluginResource)))
            .ToArray();

        var policies = PolicySet.Identity([.. context.RolePolicies]);
        var requestContext = context.RoleRequestContext();
        var missing = new List<string>();
        var granting = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (action, resource) in required)
        {
            var decision = PolicyEvaluator.Evaluate(policies, new AccessRequest(action, resource, RequestPrincipal.Aws(role.Arn), requestContext));
            if (decision.IsAllowed) granting.UnionWith(decision.DecidingStatements.Select(s => s.ToString()));
            else missing.Add($"{action} on {resource}: {decision}");
        }

        var evidence = new List<string>
        {
            context.ManagedPolicyAttached
                ? $"{DuoQGuide.ManagedPolicyName} is attached to {role.Name}"
                : $"{DuoQGuide.ManagedPolicyName} is not attached to {role.Name}; its own policies were evaluated",
        };
        evidence.AddRange(context.RolePolicyProblems);

        if (missing.Count > 0)
        {
            evidence.Add($"{missing.Count} of {required.Length} actions are not allowed:");
            evidence.AddRange(missing.Select(m => "  " + m));
            return Check.Fail(evidence, Fixes.Permissions(role.Name));
        }

        evidence.Add($"all {required.Length} actions are allowed, by {string.Join(", ", granting)}");
        var wide = WideGrants.Find(context.RolePolicies.Where(p => p.Name != DuoQGuide.ManagedPolicyArn)).ToArray();
        if (wide.Length == 0) return Check.Pass(evidence);
        evidence.Add("grants wider than the guide's:");
        evidence.AddRange(wide.Select(w => "  " + w));
        return Check.Warn(evidence, Fixes.NarrowPermissions(role.Name));
    }
}

/// <summary>Allow statements that give the role far more than the guide's permissions.</summary>
internal static class WideGrants
{
    private static readonly string[] PluginActions = [.. DuoQGuide.PluginActions];

    public static IEnumerable<string> Find(IEnumerable<NamedPolicy> policies)
    {
        foreach (var policy in policies)
        foreach (var statement in policy.Document.Statements.Where(s => s.Effect == Effect.Allow))
        {
            var reasons = Reasons(statement).ToArray();
            if (reasons.Length > 0) yield return $"{policy.Name} {statement.Label}: {string.Join("; ", reasons)}";
        }
    }

    private static IEnumerable<string> Reasons(PolicyStatement statement)
    {
        if (statement.Actions.IsNot)
        {
            yield return $"allows every action except [{string.Join(", ", statement.Actions.Patterns)}]";
            yield break;
        }

        foreach (var pattern in statement.Actions.Patterns)
        {
            var (service, name) = Split(pattern);
            if (service == "*") yield return $"allows every action ({pattern})";
            else if (name == "*") yield return service.Equals("q", StringComparison.OrdinalIgnoreCase)
                ? $"allows every Amazon Q action ({pattern})"
                : $"allows every {service} action ({pattern})";
            else if (!service.Equals("q", StringComparison.OrdinalIgnoreCase)) yield return $"allows {pattern}, which GitLab Duo with Amazon Q does not use";
        }

        var grantsPlugins = PluginActions.Any(a => statement.Actions.Patterns.Any(p => Glob.Matches(p, a, ignoreCase: true)));
        if (!grantsPlugins || statement.Resources is not { } resources) yield break;
        if (resources.IsNot)
        {
            yield return $"allows plugin actions on everything except [{string.Join(", ", resources.Patterns)}]";
            yield break;
        }
        foreach (var resource in resources.Patterns.Where(r => !ResourcePattern.Covers(DuoQGuide.PluginResource, r)))
            yield return $"allows plugin actions on {resource}, beyond {DuoQGuide.PluginResource}";
    }

    private static (string Service, string Name) Split(string pattern)
    {
        var colon = pattern.IndexOf(':');
        return colon < 0 ? (pattern, pattern) : (pattern[..colon], pattern[(colon + 1)..]);
    }
}
