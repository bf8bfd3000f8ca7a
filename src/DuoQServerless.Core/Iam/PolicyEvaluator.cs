namespace DuoQServerless.Core.Iam;

/// <summary>
/// Decides one request against a set of policies the way IAM does within one account: an
/// applicable Deny wins; otherwise some Allow must apply (and, where the resource policy is
/// <see cref="ResourcePolicyRole.Required"/>, the resource policy must grant, directly or through
/// the caller's account). Not modelled: SCPs, permission boundaries, session policies and policy
/// variables such as <c>${aws:username}</c>.
/// </summary>
public static class PolicyEvaluator
{
    private enum PrincipalFit
    {
        None,
        /// <summary>The statement names the caller (or everyone).</summary>
        Direct,
        /// <summary>The statement names the caller's account: identity policies must also allow.</summary>
        ViaAccount,
    }

    public static AccessDecision Evaluate(PolicySet policies, AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);

        var denies = new List<StatementRef>();
        var identityAllows = new List<StatementRef>();
        var directAllows = new List<StatementRef>();
        var accountAllows = new List<StatementRef>();
        var misses = new List<NearMiss>();

        foreach (var policy in policies.IdentityPolicies)
            Collect(policy, request, isResourcePolicy: false, denies, identityAllows, accountAllows, misses);
        if (policies.ResourcePolicy is { } resourcePolicy)
            Collect(resourcePolicy, request, isResourcePolicy: true, denies, directAllows, accountAllows, misses);

        if (denies.Count > 0) return new AccessDecision(AccessOutcome.ExplicitlyDenied, denies, misses);

        if (policies.ResourcePolicy is null || policies.ResourcePolicyRole == ResourcePolicyRole.Either)
        {
            var granting = directAllows.Concat(identityAllows)
                .Concat(identityAllows.Count > 0 ? accountAllows : [])
                .ToArray();
            return granting.Length > 0
                ? new AccessDecision(AccessOutcome.Allowed, granting, misses)
                : new AccessDecision(AccessOutcome.ImplicitlyDenied, [], misses);
        }

        if (directAllows.Count > 0) return new AccessDecision(AccessOutcome.Allowed, directAllows, misses);
        if (accountAllows.Count > 0 && identityAllows.Count > 0)
            return new AccessDecision(AccessOutcome.Allowed, [.. accountAllows, .. identityAllows], misses);

        foreach (var allow in identityAllows)
            misses.Add(new NearMiss(allow, $"allows it, but {policies.ResourcePolicy.Name} names neither the principal nor its account"));
        foreach (var allow in accountAllows)
            misses.Add(new NearMiss(allow, "names the principal's account, but no identity policy of the principal allows it"));
        return new AccessDecision(AccessOutcome.ImplicitlyDenied, [], misses);
    }

    private static void Collect(
        NamedPolicy policy,
        AccessRequest request,
        bool isResourcePolicy,
        List<StatementRef> denies,
        List<StatementRef> allows,
        List<StatementRef> accountAllows,
        List<NearMiss> misses)
    {
        foreach (var statement in policy.Document.Statements)
        {
            if (!ActionMatches(statement.Actions, request.Action)) continue;
            var reference = new StatementRef(policy.Name, statement);
            var isDeny = statement.Effect == Effect.Deny;

            string? miss = null;
            var fit = PrincipalFit.Direct;
            if (!ResourceApplies(statement, request.Resource, isDeny))
            {
                miss = $"resource {request.Resource} is not {(isDeny ? "touched" : "covered")} by {statement.Resources}";
            }
            else if (isResourcePolicy && (fit = Fit(statement.Principals, request.Principal)) == PrincipalFit.None)
            {
                miss = statement.Principals is null
                    ? "a resource policy statement without Principal applies to no one"
                    : $"principal {request.Principal?.ToString() ?? "(anonymous)"} is not {statement.Principals}";
            }
            else if (!ConditionEvaluator.Holds(statement.Conditions, request.Context, out var failed))
            {
                var actual = request.Context.TryGet(failed!.Key, out var values) ? string.Join(", ", values) : "absent";
                miss = $"condition {failed} does not hold (request has {actual})";
            }

            if (miss is not null)
            {
                if (!isDeny) misses.Add(new NearMiss(reference, miss));
                continue;
            }

            if (isDeny) denies.Add(reference);
            else if (fit == PrincipalFit.ViaAccount) accountAllows.Add(reference);
            else allows.Add(reference);
        }
    }

    private static bool ActionMatches(PatternList actions, string action)
    {
        var any = actions.Patterns.Any(p => Glob.Matches(p, action, ignoreCase: true));
        return actions.IsNot ? !any : any;
    }

    private static bool ResourceApplies(PolicyStatement statement, string resource, bool isDeny)
    {
        if (statement.Resources is not { } resources) return true;
        var patterns = resources.Patterns;
        return (isDeny, resources.IsNot) switch
        {
            // An Allow must reach every resource the request stands for; a Deny needs to reach only one.
            (false, false) => patterns.Any(p => ResourcePattern.Covers(p, resource)),
            (false, true) => !patterns.Any(p => ResourcePattern.Overlaps(p, resource)),
            (true, false) => patterns.Any(p => ResourcePattern.Overlaps(p, resource)),
            (true, true) => !patterns.Any(p => ResourcePattern.Covers(p, resource)),
        };
    }

    private static PrincipalFit Fit(PrincipalSet? principals, RequestPrincipal? caller)
    {
        if (principals is null) return PrincipalFit.None;
        var best = PrincipalFit.None;
        foreach (var entry in principals.Entries)
        {
            var fit = Fit(entry, caller);
            if (fit == PrincipalFit.Direct) { best = fit; break; }
            if (fit == PrincipalFit.ViaAccount) best = fit;
        }
        if (!principals.IsNot) return best;
        // NotPrincipal: applies to everyone not listed (naming the account lists all its principals).
        return best == PrincipalFit.None ? PrincipalFit.Direct : PrincipalFit.None;
    }

    private static PrincipalFit Fit(PrincipalEntry entry, RequestPrincipal? caller)
    {
        if (entry.Type == PrincipalEntry.Everyone || entry.Value == PrincipalEntry.Everyone) return PrincipalFit.Direct;
        if (caller is null || entry.Type != caller.Type) return PrincipalFit.None;
        // IAM names are unique case-insensitively, so a principal ARN differing only in case is the same principal.
        if (string.Equals(entry.Value, caller.Id, StringComparison.OrdinalIgnoreCase)) return PrincipalFit.Direct;
        if (caller.Type == RequestPrincipal.AwsType && caller.AccountId is { } account && NamesAccount(entry.Value, account))
            return PrincipalFit.ViaAccount;
        return PrincipalFit.None;
    }

    private static bool NamesAccount(string value, string account) =>
        value == account
        || (value.StartsWith("arn:", StringComparison.Ordinal)
            && value.Split(':') is [_, _, "iam", "", var a, "root"]
            && a == account);
}
