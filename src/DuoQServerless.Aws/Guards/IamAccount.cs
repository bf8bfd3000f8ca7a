using DuoQServerless.Core.Approval;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// The IAM guard's account: tags of roles and users, documents of customer managed policies, and
/// the reverts of iam-change findings. Every revert reads the current state first, so a late or
/// repeated event answers AlreadyDone, and answers AWS's refusals as Failed, never by throwing.
/// The IAM actions it calls are the ones <see cref="Core.Guards.Iam.IamChangeDetector"/> declares.
/// </summary>
public sealed class IamAccount(IamClient iam, TrustPolicyStore trustPolicies) : IGuardAccount
{
    private const string RoleType = "AWS::IAM::Role";
    private const string UserType = "AWS::IAM::User";
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    public async Task<IReadOnlyDictionary<string, string>> TagsOfAsync(AffectedResource resource, CancellationToken cancellationToken)
    {
        // Groups cannot be tagged; exemptions of managed policies go by principal, not tag.
        var listing = resource.Type switch
        {
            RoleType => iam.ListRoleTagsAsync(new ListRoleTagsRequest(resource.Id), cancellationToken),
            UserType => iam.ListUserTagsAsync(new ListUserTagsRequest(resource.Id), cancellationToken),
            _ => null,
        };
        if (listing is null) return NoTags;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await foreach (var tag in listing) tags[tag.Key] = tag.Value;
        }
        // Gone since the event: nothing is tagged. Other errors propagate before anything is
        // recorded, so the event's redelivery tries again rather than act without the exemption.
        catch (AwsApiException e) when (e.ErrorCode == AwsErrorCodes.NoSuchEntity)
        {
            return NoTags;
        }
        return tags;
    }

    public async Task<DetectionFacts> LookUpAsync(IReadOnlyList<FactRequest> requests, CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        var unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            switch (request)
            {
                case FactRequest.ManagedPolicyDocument { PolicyArn: var policyArn }:
                    var (document, error) = await DefaultDocumentAsync(policyArn, cancellationToken);
                    if (document is not null) documents[policyArn] = document;
                    else if (error is not null) unreadable[policyArn] = error;
                    break;
                default:
                    throw new InvalidOperationException($"unknown fact request {request.GetType().Name}");
            }
        }
        return documents.Count == 0 && unreadable.Count == 0 ? DetectionFacts.None : new DetectionFacts(documents) { Unreadable = unreadable };
    }

    public async Task<ActionResult> RevertAsync(RevertPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return plan switch
            {
                DetachPolicy detach => await DetachAsync(detach, cancellationToken),
                ReattachPolicy reattach => await ReattachAsync(reattach, cancellationToken),
                DeleteInlinePolicy inline => await DeleteInlineAsync(inline, cancellationToken),
                DeactivateAccessKey key => await DeactivateKeyAsync(key, cancellationToken),
                DeleteLoginProfile login => await DeleteLoginProfileAsync(login, cancellationToken),
                RestoreTrustPolicy trust => await RestoreTrustPolicyAsync(trust, cancellationToken),
                RestoreDefaultPolicyVersion version => await RestoreDefaultVersionAsync(version, cancellationToken),
                RestoreMaxSessionDuration session => await RestoreSessionDurationAsync(session, cancellationToken),
                NothingToRestore => new ActionResult.NotTaken(),
                RevokeIngressRules or EnableDeletionProtection or RestoreFromSnapshot or StopInstances or EnableRule =>
                    new ActionResult.Failed($"{plan.KindName} is not an IAM revert: the IAM guard does not carry it out"),
                _ => throw new InvalidOperationException($"unknown revert plan {plan.GetType().Name}"),
            };
        }
        // Refused (AccessDenied), throttled after retries, or the entity vanished mid-revert: the
        // finding stays open and the notification says why.
        catch (AwsApiException e)
        {
            return Failed(e);
        }
        // IAM unreachable after retries: the same, in the transport's words.
        catch (HttpRequestException e)
        {
            return new ActionResult.Failed($"IAM unreachable: {e.Message}");
        }
    }

    public async Task<ActionResult> MarkApprovedAsync(AffectedResource resource, string approvalId, CancellationToken cancellationToken)
    {
        IamTag[] tags = [new(ApprovalTag.Key, approvalId)];
        try
        {
            switch (resource.Type)
            {
                case RoleType:
                    await iam.TagRoleAsync(new TagRoleRequest(resource.Id, tags), cancellationToken);
                    return new ActionResult.Done($"tagged role {resource.Id} {ApprovalTag.Key}={approvalId}");
                case UserType:
                    await iam.TagUserAsync(new TagUserRequest(resource.Id, tags), cancellationToken);
                    return new ActionResult.Done($"tagged user {resource.Id} {ApprovalTag.Key}={approvalId}");
                default:
                    return new ActionResult.NotTaken();
            }
        }
        // Deleted since it was approved: there is nothing left to tag.
        catch (AwsApiException e) when (e.ErrorCode == AwsErrorCodes.NoSuchEntity)
        {
            return new ActionResult.NotTaken();
        }
        // Refused or throttled after retries: the approval workflow retries, then notifies.
        catch (AwsApiException e)
        {
            return Failed(e);
        }
        // IAM unreachable after retries: as above.
        catch (HttpRequestException e)
        {
            return new ActionResult.Failed($"IAM unreachable: {e.Message}");
        }
    }

    /// <returns>The document, or why it could not be read ("AccessDenied: ...").</returns>
    private async Task<(string? Document, string? Error)> DefaultDocumentAsync(string policyArn, CancellationToken cancellationToken)
    {
        try
        {
            var policy = await iam.GetPolicyAsync(new GetPolicyRequest(policyArn), cancellationToken);
            return ((await iam.GetPolicyVersionAsync(new GetPolicyVersionRequest(policyArn, policy.DefaultVersionId), cancellationToken)).Document, null);
        }
        // Unreadable (gone, refused, throttled): the detector reports the document as not checked, and why.
        catch (AwsApiException e)
        {
            return (null, $"{e.ErrorCode}: {e.ErrorMessage}");
        }
        // Unreachable: as above.
        catch (HttpRequestException e)
        {
            return (null, $"IAM unreachable: {e.Message}");
        }
    }

    private async Task<ActionResult> DetachAsync(DetachPolicy plan, CancellationToken cancellationToken)
    {
        var (name, arn) = (plan.PrincipalName, plan.PolicyArn);
        var who = $"{Noun(plan.PrincipalKind)} {name}";
        return await GoneIsDoneAsync($"{who} no longer exists", async () =>
        {
            var attached = plan.PrincipalKind switch
            {
                PrincipalKind.Role => iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest(name), cancellationToken),
                PrincipalKind.User => iam.ListAttachedUserPoliciesAsync(new ListAttachedUserPoliciesRequest(name), cancellationToken),
                PrincipalKind.Group => iam.ListAttachedGroupPoliciesAsync(new ListAttachedGroupPoliciesRequest(name), cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.PrincipalKind, null),
            };
            if (!await attached.AnyAsync(policy => policy.PolicyArn == arn, cancellationToken))
                return new ActionResult.AlreadyDone($"{arn} is no longer attached to {who}");
            await (plan.PrincipalKind switch
            {
                PrincipalKind.Role => iam.DetachRolePolicyAsync(new DetachRolePolicyRequest(name, arn), cancellationToken),
                PrincipalKind.User => iam.DetachUserPolicyAsync(new DetachUserPolicyRequest(name, arn), cancellationToken),
                PrincipalKind.Group => iam.DetachGroupPolicyAsync(new DetachGroupPolicyRequest(name, arn), cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.PrincipalKind, null),
            });
            return new ActionResult.Done($"detached {arn} from {who}");
        });
    }

    /// <summary>Only the protected role's detached policies are put back (the detector raises no
    /// other), so the guard's role holds iam:AttachRolePolicy and no attach on users or groups.</summary>
    private async Task<ActionResult> ReattachAsync(ReattachPolicy plan, CancellationToken cancellationToken)
    {
        if (plan.PrincipalKind != PrincipalKind.Role)
            return new ActionResult.Failed($"only a role's policies are attached again, not a {Noun(plan.PrincipalKind)}'s: attach {plan.PolicyArn} to {plan.PrincipalName} by hand");
        var attached = iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest(plan.PrincipalName), cancellationToken);
        if (await attached.AnyAsync(policy => policy.PolicyArn == plan.PolicyArn, cancellationToken))
            return new ActionResult.AlreadyDone($"{plan.PolicyArn} is attached to role {plan.PrincipalName}");
        await iam.AttachRolePolicyAsync(new AttachRolePolicyRequest(plan.PrincipalName, plan.PolicyArn), cancellationToken);
        return new ActionResult.Done($"attached {plan.PolicyArn} to role {plan.PrincipalName} again");
    }

    private async Task<ActionResult> DeleteInlineAsync(DeleteInlinePolicy plan, CancellationToken cancellationToken)
    {
        var (owner, policy) = (plan.PrincipalName, plan.PolicyName);
        var what = $"inline policy {policy} of {Noun(plan.PrincipalKind)} {owner}";
        return await GoneIsDoneAsync($"{what} is already gone", async () =>
        {
            switch (plan.PrincipalKind)
            {
                case PrincipalKind.Role:
                    await iam.GetRolePolicyAsync(new GetRolePolicyRequest(owner, policy), cancellationToken);
                    await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest(owner, policy), cancellationToken);
                    break;
                case PrincipalKind.User:
                    await iam.GetUserPolicyAsync(new GetUserPolicyRequest(owner, policy), cancellationToken);
                    await iam.DeleteUserPolicyAsync(new DeleteUserPolicyRequest(owner, policy), cancellationToken);
                    break;
                case PrincipalKind.Group:
                    await iam.GetGroupPolicyAsync(new GetGroupPolicyRequest(owner, policy), cancellationToken);
                    await iam.DeleteGroupPolicyAsync(new DeleteGroupPolicyRequest(owner, policy), cancellationToken);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(plan), plan.PrincipalKind, null);
            }
            return new ActionResult.Done($"deleted {what}");
        });
    }

    private async Task<ActionResult> DeactivateKeyAsync(DeactivateAccessKey plan, CancellationToken cancellationToken)
    {
        var what = $"access key {plan.AccessKeyId} of user {plan.UserName}";
        return await GoneIsDoneAsync($"user {plan.UserName} no longer exists", async () =>
        {
            var keys = iam.ListAccessKeysAsync(new ListAccessKeysRequest(plan.UserName), cancellationToken);
            var key = await keys.FirstOrDefaultAsync(k => k.AccessKeyId == plan.AccessKeyId, cancellationToken);
            if (key is null) return new ActionResult.AlreadyDone($"{what} no longer exists");
            if (key.Status == AccessKeyStatus.Inactive) return new ActionResult.AlreadyDone($"{what} is already inactive");
            await iam.UpdateAccessKeyAsync(new UpdateAccessKeyRequest(plan.AccessKeyId, AccessKeyStatus.Inactive, plan.UserName), cancellationToken);
            return new ActionResult.Done($"deactivated {what} (not deleted: `aws iam update-access-key --user-name {plan.UserName} --access-key-id {plan.AccessKeyId} --status Active` turns it back on)");
        });
    }

    private async Task<ActionResult> DeleteLoginProfileAsync(DeleteLoginProfile plan, CancellationToken cancellationToken) =>
        await GoneIsDoneAsync($"user {plan.UserName} has no console password", async () =>
        {
            await iam.GetLoginProfileAsync(new GetLoginProfileRequest(plan.UserName), cancellationToken);
            await iam.DeleteLoginProfileAsync(new DeleteLoginProfileRequest(plan.UserName), cancellationToken);
            return new ActionResult.Done($"removed the console password of user {plan.UserName}");
        });

    private async Task<ActionResult> RestoreTrustPolicyAsync(RestoreTrustPolicy plan, CancellationToken cancellationToken)
    {
        var good = await trustPolicies.GetGoodAsync(plan.RoleName, cancellationToken);
        if (good is null)
            return new ActionResult.Failed($"no last known good trust policy recorded for {plan.RoleName}: run the validator once on a healthy setup");
        var recorded = good.RecordedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);
        var role = await iam.GetRoleAsync(new GetRoleRequest(plan.RoleName), cancellationToken);
        if (SameDocument(role.AssumeRolePolicyDocument, good.Document))
            return new ActionResult.AlreadyDone($"the trust policy of role {plan.RoleName} already is the last known good one (recorded {recorded})");
        await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest(plan.RoleName, good.Document), cancellationToken);
        return new ActionResult.Done($"restored the trust policy of role {plan.RoleName} to the last known good one (recorded {recorded})");
    }

    private async Task<ActionResult> RestoreDefaultVersionAsync(RestoreDefaultPolicyVersion plan, CancellationToken cancellationToken)
    {
        var (arn, unwanted) = (plan.PolicyArn, plan.UnwantedVersionId);
        if (PolicyVersionSummary.NumberOf(unwanted) is not { } unwantedNumber)
            return new ActionResult.Failed($"the event does not name the new default version of {arn}: choose the default by hand");
        return await GoneIsDoneAsync($"policy {arn} no longer exists", async () =>
        {
            var versions = await iam.ListPolicyVersionsAsync(new ListPolicyVersionsRequest(arn), cancellationToken).ToListAsync(cancellationToken);
            if (versions.FirstOrDefault(v => v.IsDefaultVersion) is { } current && current.VersionId != unwanted)
                return new ActionResult.AlreadyDone($"the default version of {arn} is {current.VersionId}, not {unwanted}");
            var previous = versions
                .Where(v => PolicyVersionSummary.NumberOf(v.VersionId) < unwantedNumber)
                .MaxBy(v => PolicyVersionSummary.NumberOf(v.VersionId));
            if (previous is null)
                return new ActionResult.Failed($"{arn} has no version older than {unwanted} to make the default: choose one by hand");
            await iam.SetDefaultPolicyVersionAsync(new SetDefaultPolicyVersionRequest(arn, previous.VersionId), cancellationToken);
            return new ActionResult.Done($"made {previous.VersionId} the default version of {arn} again instead of {unwanted}");
        });
    }

    private async Task<ActionResult> RestoreSessionDurationAsync(RestoreMaxSessionDuration plan, CancellationToken cancellationToken)
    {
        var role = await iam.GetRoleAsync(new GetRoleRequest(plan.RoleName), cancellationToken);
        if (role.MaxSessionDuration is { } current && current >= plan.Seconds)
            return new ActionResult.AlreadyDone($"the maximum session duration of role {plan.RoleName} is already {current} s");
        // The description is sent unchanged: an UpdateRole without one clears it on some implementations.
        await iam.UpdateRoleAsync(new UpdateRoleRequest(plan.RoleName, plan.Seconds, role.Description), cancellationToken);
        return new ActionResult.Done($"set the maximum session duration of role {plan.RoleName} back to {plan.Seconds} s (was {(role.MaxSessionDuration is { } was ? $"{was} s" : "unset")})");
    }

    /// <summary>Runs a revert whose target may have vanished since the event: a principal, policy
    /// or key that no longer exists grants nothing, which is what the revert wanted.</summary>
    private static async Task<ActionResult> GoneIsDoneAsync(string goneDetail, Func<Task<ActionResult>> revert)
    {
        try
        {
            return await revert();
        }
        // NoSuchEntity: what the revert would remove is already gone.
        catch (AwsApiException e) when (e.ErrorCode == AwsErrorCodes.NoSuchEntity)
        {
            return new ActionResult.AlreadyDone(goneDetail);
        }
    }

    /// <summary>Trust policies compared as JSON, so IAM's re-spacing of a document is no difference.</summary>
    private static bool SameDocument(string? current, string good)
    {
        if (current is null) return false;
        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(current), JsonNode.Parse(good));
        }
        // Not JSON (never from IAM): compare the text, which can only make the restore run again.
        catch (JsonException)
        {
            return string.Equals(current, good, StringComparison.Ordinal);
        }
    }

    private static ActionResult.Failed Failed(AwsApiException e) => new($"{e.ErrorCode}: {e.ErrorMessage}");

    private static string Noun(PrincipalKind kind) => kind switch
    {
        PrincipalKind.Role => "role",
        PrincipalKind.User => "user",
        PrincipalKind.Group => "group",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
