using DuoQServerless.Core.Iam;

namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 2: the trust policy lets the instance's Cloud Connector identity (Federated provider,
/// StringEquals on the audience) call sts:AssumeRoleWithWebIdentity, and nobody else assume the role.
/// </summary>
internal static class TrustPolicyCheck
{
    private const string WebIdentity = "sts:AssumeRoleWithWebIdentity";

    private static CheckDefinition Check => DuoQChecks.TrustPolicy;

    public static CheckResult Run(SetupContext context)
    {
        if (RoleObservation.NotUsable(Check, context) is { } early) return early;
        var role = ((Observation<RoleFacts>.Seen)context.Facts.Role).Value;
        if (context.Expected.Id is not { } id)
            return Check.Skipped($"cannot tell which instance to expect ({context.Expected.Source})", "Pass --instance-id with the UUID shown in GitLab's Amazon Q settings.");

        var fix = Fixes.TrustPolicy(context.Facts.AccountId, id, role.Name);
        if (!PolicyDocument.TryParse(role.TrustPolicyDocument, out var document, out var error))
            return Check.Fail([$"the trust policy of {role.Arn} is not a valid policy document: {error}"], fix);

        var trust = new NamedPolicy("trust policy", document);
        var providerArn = CloudConnectorIdentity.ProviderArn(context.Facts.AccountId, id);
        var audienceKey = CloudConnectorIdentity.AudienceKey(id);
        var audience = CloudConnectorIdentity.Audience(id);

        AccessDecision AssumeWith(string aud) => PolicyEvaluator.Evaluate(
            PolicySet.Resource(trust),
            new AccessRequest(WebIdentity, role.Arn, RequestPrincipal.Federated(providerArn), RequestContext.Empty.With(audienceKey, aud)));

        var gitLab = AssumeWith(audience);
        if (!gitLab.IsAllowed)
        {
            return Check.Fail(
                [
                    $"GitLab's token (Federated {providerArn}, aud {audience}) may not assume {role.Arn}: {gitLab}",
                    .. Describe(document),
                ],
                fix);
        }

        var warnings = new List<string>();
        var anyAudience = AssumeWith($"gitlab-cc-not-{id}");
        if (anyAudience.IsAllowed)
            warnings.Add($"the trust policy does not require StringEquals {audienceKey} = {audience}: a token with any audience from this provider is accepted ({anyAudience})");
        warnings.AddRange(OtherPrincipals(document, providerArn));

        var evidence = new List<string> { $"{role.Arn} lets Federated {providerArn} call {WebIdentity} with aud {audience} ({gitLab})" };
        return warnings.Count == 0 ? Check.Pass(evidence) : Check.Warn([.. evidence, .. warnings], fix);
    }

    /// <summary>Statements that let someone other than the instance's provider assume the role.</summary>
    private static IEnumerable<string> OtherPrincipals(PolicyDocument document, string providerArn)
    {
        foreach (var statement in document.Statements)
        {
            if (statement.Effect != Effect.Allow || statement.Principals is not { } principals || !MayAssume(statement.Actions)) continue;
            if (principals.IsNot)
            {
                yield return $"trust policy {statement.Label} allows everyone except {principals} to assume the role";
                continue;
            }
            foreach (var entry in principals.Entries.Where(e => !(e.Type == RequestPrincipal.FederatedType && e.Value == providerArn)))
                yield return $"trust policy {statement.Label} also lets {entry} assume the role";
        }
    }

    private static bool MayAssume(PatternList actions)
    {
        var any = actions.Patterns.Any(p => Glob.Overlaps(p, "sts:AssumeRole*", ignoreCase: true));
        return actions.IsNot ? !actions.Patterns.Any(p => Glob.Covers(p, "sts:AssumeRole*", ignoreCase: true)) : any;
    }

    /// <summary>What the trust policy names, to show a wrong principal or audience next to the expected one.</summary>
    private static IEnumerable<string> Describe(PolicyDocument document)
    {
        foreach (var statement in document.Statements)
        {
            var principals = statement.Principals?.ToString() ?? "no principal";
            var audiences = statement.Conditions
                .Where(c => c.Key.EndsWith(":aud", StringComparison.OrdinalIgnoreCase))
                .Select(c => c.ToString())
                .ToArray();
            yield return $"trust policy {statement.Label}: {statement.Effect} {statement.Actions} for {principals}; "
                + (audiences.Length == 0 ? "no audience condition" : string.Join("; ", audiences));
        }
    }
}
