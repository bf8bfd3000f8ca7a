using DuoQServerless.Core.Iam;

namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 5: the customer managed key is enabled, and its key policy (with the role's own policies,
/// where the key policy delegates to the account) lets the role use it through Amazon Q
/// (kms:ViaService q.REGION.amazonaws.com) and not otherwise.
/// </summary>
internal static class KmsKeyCheck
{
    private const string ViaService = "kms:ViaService";

    private static CheckDefinition Check => DuoQChecks.KmsKey;

    public static CheckResult Run(SetupContext context)
    {
        var facts = context.Facts;
        var fix = Fixes.KeyPolicy(context.RoleArn, facts.Region);
        KmsKeyFacts key;
        switch (facts.KmsKey)
        {
            case Observation<KmsKeyFacts>.NotAsked notAsked:
                return Check.Skipped(notAsked.Why, "Pass --kms-key when Amazon Q should encrypt with a customer managed key.");
            case Observation<KmsKeyFacts>.Absent absent:
                return Check.Fail([$"the KMS key does not exist: {absent.What}"], Fixes.UsableKey("<key id>"));
            case Observation<KmsKeyFacts>.Unavailable unavailable:
                return Check.Fail([$"could not read the KMS key: {unavailable.Error}"], Fixes.ValidatorAccess("kms:DescribeKey and kms:GetKeyPolicy on the key"));
            case Observation<KmsKeyFacts>.Seen seen:
                key = seen.Value;
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        var failures = new List<string>();
        if (!key.Enabled || !key.KeyState.Equals("Enabled", StringComparison.OrdinalIgnoreCase))
            failures.Add($"{key.Arn} is {key.KeyState}{(key.Enabled ? "" : " (Enabled = false)")}: Amazon Q cannot encrypt or decrypt with it");
        if (!key.KeyManager.Equals("CUSTOMER", StringComparison.OrdinalIgnoreCase))
            failures.Add($"{key.Arn} is managed by {key.KeyManager}, not a customer managed key");
        var keyFix = Fixes.UsableKey(key.KeyId);

        if (!PolicyDocument.TryParse(key.KeyPolicy, out var keyPolicy, out var error))
            return Check.Fail([.. failures, $"the key policy of {key.Arn} is not a valid policy document: {error}"], failures.Count > 0 ? $"{keyFix}\n{fix}" : fix);

        var policies = new PolicySet(context.RolePolicies, new NamedPolicy($"key policy of {key.KeyId}", keyPolicy), ResourcePolicyRole.Required);
        var throughQ = $"q.{facts.Region}.amazonaws.com";
        var baseContext = context.RoleRequestContext().With("kms:CallerAccount", facts.AccountId);

        AccessDecision Use(string action, RequestContext requestContext) =>
            PolicyEvaluator.Evaluate(policies, new AccessRequest(action, key.Arn, RequestPrincipal.Aws(context.RoleArn), requestContext));

        var missing = new List<string>();
        var unguarded = new List<string>();
        var granting = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var action in DuoQGuide.KeyActions)
        {
            var viaQ = Use(action, baseContext.With(ViaService, throughQ));
            if (!viaQ.IsAllowed)
            {
                missing.Add($"{action} through {throughQ}: {viaQ}");
                continue;
            }
            granting.UnionWith(viaQ.DecidingStatements.Select(s => s.ToString()));
            var direct = Use(action, baseContext);
            var otherService = Use(action, baseContext.With(ViaService, $"s3.{facts.Region}.amazonaws.com"));
            if (direct.IsAllowed || otherService.IsAllowed)
                unguarded.Add($"{action} is allowed without going through Amazon Q ({(direct.IsAllowed ? direct : otherService)})");
        }

        var evidence = new List<string> { $"{key.Arn}: KeyState {key.KeyState}, KeyManager {key.KeyManager}" };
        evidence.AddRange(context.RolePolicyProblems);
        if (missing.Count > 0 || failures.Count > 0)
        {
            evidence.AddRange(failures);
            if (missing.Count > 0) evidence.Add($"the role {context.RoleArn} may not use the key for {missing.Count} of {DuoQGuide.KeyActions.Count} actions:");
            evidence.AddRange(missing.Select(m => "  " + m));
            var fixes = (failures.Count > 0 ? [keyFix] : Array.Empty<string>()).Concat(missing.Count > 0 ? [fix] : []);
            return Check.Fail(evidence, string.Join("\n", fixes));
        }

        evidence.Add($"the role may use all {DuoQGuide.KeyActions.Count} actions through {throughQ}, by {string.Join(", ", granting)}");
        if (unguarded.Count == 0) return Check.Pass(evidence);
        evidence.Add($"the {ViaService} = {throughQ} condition is missing, so any service (or a direct call) could use the key as the role:");
        evidence.AddRange(unguarded.Select(u => "  " + u));
        return Check.Warn(evidence, fix);
    }
}
