using System.Globalization;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Iam;

/// <summary>The iam-change rules, one method per kind of call.</summary>
internal sealed class IamInspection(CloudTrailRecord record, GuardPolicy policy)
{
    private readonly string protectedRole = policy.ProtectedRole;
    private readonly IamChangeSettings settings = policy.IamChange;

    public DetectionOutcome Attach(DetectionFacts facts)
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        var policyArn = record.RequestParameters.Str("policyArn");
        if (principal is null || policyArn is null) return Benign("names no principal or policy");
        var name = IamGrants.PolicyName(policyArn);
        var target = principal.Describe(protectedRole);
        var plan = new DetachPolicy(principal.Kind, principal.Name, policyArn);
        var document = facts.DocumentOf(policyArn);
        var analysis = document is null ? null : PolicyDocumentAnalysis.Of(document);

        if (IamGrants.IsListedAdmin(policyArn, settings))
            return Found(principal, Severity.High, $"admin-like policy {name} attached to {target}", plan, ("policyArn", policyArn));
        if (analysis is { AdminLike: true })
            return Found(principal, Severity.High, $"policy {name} ({analysis.Reasons[0]}) attached to {target}", plan,
                ("policyArn", policyArn), ("why", string.Join("; ", analysis.Reasons)));
        if (principal.IsProtectedRole(protectedRole))
            return Found(principal, Severity.High, $"policy {name} attached to {target}", plan, ("policyArn", policyArn));
        if (!IamGrants.IsAwsManaged(policyArn) && analysis is not { Readable: true })
            return Found(principal, Severity.Medium, $"customer managed policy {name} attached to {target}; its document was not checked{(facts.WhyUnreadable(policyArn) is { } why ? $" ({why})" : "")}",
                plan, ("policyArn", policyArn));
        return Benign($"{name} is not admin-like");
    }

    public DetectionOutcome PutInline()
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        var policyName = record.RequestParameters.Str("policyName");
        if (principal is null || policyName is null) return Benign("names no principal or policy");
        var analysis = PolicyDocumentAnalysis.Of(record.RequestParameters.Str("policyDocument"));
        var target = principal.Describe(protectedRole);
        var plan = new DeleteInlinePolicy(principal.Kind, principal.Name, policyName);
        if (analysis.AdminLike)
            return Found(principal, Severity.High, $"inline policy {policyName} on {target} {analysis.Reasons[0]}", plan,
                ("policyName", policyName), ("why", string.Join("; ", analysis.Reasons)));
        if (!analysis.Readable)
            return Found(principal, Severity.Medium, $"inline policy {policyName} put on {target}; its document could not be read", plan,
                ("policyName", policyName));
        if (principal.IsProtectedRole(protectedRole))
            return Found(principal, Severity.High, $"inline policy {policyName} put on {target}", plan, ("policyName", policyName));
        return Benign($"inline policy {policyName} is not admin-like");
    }

    public DetectionOutcome CreatePolicyVersion()
    {
        var policyArn = record.RequestParameters.Str("policyArn");
        if (policyArn is null) return Benign("names no policy");
        if (record.RequestParameters.Bool("setAsDefault") != true) return Benign("the new version was not made the default");
        var versionId = record.ResponseElements.Prop("policyVersion").Str("versionId") ?? "(the new version)";
        var analysis = PolicyDocumentAnalysis.Of(record.RequestParameters.Str("policyDocument"));
        var summary = $"new default version {versionId} of policy {IamGrants.PolicyName(policyArn)}" +
                      (analysis.AdminLike ? $" {analysis.Reasons[0]}" : "");
        return Found(PolicyResource(policyArn), analysis.AdminLike ? Severity.High : Severity.Medium, summary,
            new RestoreDefaultPolicyVersion(policyArn, versionId), ("policyArn", policyArn), ("versionId", versionId),
            ("why", analysis.Reasons.Count > 0 ? string.Join("; ", analysis.Reasons) : "changes what every holder of the policy may do"));
    }

    public DetectionOutcome SetDefaultPolicyVersion()
    {
        var policyArn = record.RequestParameters.Str("policyArn");
        var versionId = record.RequestParameters.Str("versionId");
        if (policyArn is null || versionId is null) return Benign("names no policy version");
        return Found(PolicyResource(policyArn), Severity.Medium,
            $"default version of policy {IamGrants.PolicyName(policyArn)} set to {versionId}",
            new RestoreDefaultPolicyVersion(policyArn, versionId), ("policyArn", policyArn), ("versionId", versionId));
    }

    public DetectionOutcome UpdateAssumeRolePolicy()
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        if (principal is null) return Benign("names no role");
        var anyone = PolicyDocumentAnalysis.TrustsAnyone(record.RequestParameters.Str("policyDocument"));
        var summary = $"trust policy of {principal.Describe(protectedRole)} changed" + (anyone ? ": anyone may assume it" : "");
        return Found(principal, anyone ? Severity.Critical : Severity.High, summary, new RestoreTrustPolicy(principal.Name));
    }

    public DetectionOutcome CreateAccessKey()
    {
        var key = record.ResponseElements.Prop("accessKey");
        var user = record.RequestParameters.Str("userName") ?? key.Str("userName") ?? record.UserIdentity.UserName;
        if (user is null) return Benign("names no user");
        var keyId = key.Str("accessKeyId");
        RevertPlan plan = keyId is null ? new NothingToRestore("the call created no key") : new DeactivateAccessKey(user, keyId);
        return Found(new IamPrincipal(Findings.PrincipalKind.User, user), Severity.Medium,
            $"access key {keyId ?? "(none)"} created for user {user}", plan, ("accessKeyId", keyId ?? "none"));
    }

    public DetectionOutcome CreateLoginProfile()
    {
        var user = record.RequestParameters.Str("userName") ?? record.UserIdentity.UserName;
        if (user is null) return Benign("names no user");
        return Found(new IamPrincipal(Findings.PrincipalKind.User, user), Severity.Medium,
            $"console password created for user {user}", new DeleteLoginProfile(user));
    }

    public DetectionOutcome DetachFromProtectedRole()
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        var policyArn = record.RequestParameters.Str("policyArn");
        if (principal is null || policyArn is null || !principal.IsProtectedRole(protectedRole))
            return Benign("detaching a policy only takes permissions away");
        return Found(principal, Severity.High, $"policy {IamGrants.PolicyName(policyArn)} detached from {principal.Describe(protectedRole)}",
            new ReattachPolicy(principal.Kind, principal.Name, policyArn), ("policyArn", policyArn));
    }

    public DetectionOutcome DeleteInlineOfProtectedRole()
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        var policyName = record.RequestParameters.Str("policyName") ?? "?";
        if (principal is null || !principal.IsProtectedRole(protectedRole))
            return Benign("deleting an inline policy only takes permissions away");
        return Found(principal, Severity.High, $"inline policy {policyName} deleted from {principal.Describe(protectedRole)}",
            new NothingToRestore("the deleted inline policy's document is not in the event; put it back from the Duo/Q setup"),
            ("policyName", policyName));
    }

    public DetectionOutcome UpdateRole()
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        var duration = record.RequestParameters.Int("maxSessionDuration");
        if (principal is null || !principal.IsProtectedRole(protectedRole)) return Benign("not the protected role");
        if (duration is null || duration >= settings.MinSessionDuration)
            return Benign($"the maximum session duration stays at or above {settings.MinSessionDuration} s");
        return Found(principal, Severity.High,
            $"maximum session duration of {principal.Describe(protectedRole)} lowered to {duration} s (below {settings.MinSessionDuration} s)",
            new RestoreMaxSessionDuration(principal.Name, settings.MinSessionDuration),
            ("maxSessionDuration", duration.Value.ToString(CultureInfo.InvariantCulture)));
    }

    public DetectionOutcome DeleteRole()
    {
        var principal = IamPrincipal.Read(record.RequestParameters);
        if (principal is null || !principal.IsProtectedRole(protectedRole)) return Benign("not the protected role");
        return Found(principal, Severity.Critical, $"{principal.Describe(protectedRole)} deleted",
            new NothingToRestore("a deleted role cannot be brought back; recreate it from the Duo/Q setup"));
    }

    private DetectionOutcome Found(IamPrincipal principal, Severity severity, string summary, RevertPlan plan,
        params (string Name, string Value)[] facts) =>
        Found(principal.Resource(), severity, summary, plan,
            principal.IsProtectedRole(protectedRole) ? [.. facts, ("protectedRole", "true")] : facts);

    private DetectionOutcome Found(AffectedResource resource, Severity severity, string summary, RevertPlan plan,
        params (string Name, string Value)[] facts) =>
        new DetectionOutcome.Detected(Finding.From(record, Risk.IamChange, severity, resource, summary, plan,
            facts.ToDictionary(fact => fact.Name, fact => fact.Value)));

    private static AffectedResource PolicyResource(string policyArn) =>
        AffectedResource.Of("AWS::IAM::ManagedPolicy", IamGrants.PolicyName(policyArn), policyArn);

    private static DetectionOutcome Benign(string reason) => new DetectionOutcome.Benign(reason);
}
