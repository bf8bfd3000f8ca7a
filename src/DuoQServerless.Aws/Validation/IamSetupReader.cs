using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>The IAM side of the setup: the OIDC identity providers and the role with every policy it holds.</summary>
internal sealed class IamSetupReader(IamClient iam)
{
    /// <summary>ListOpenIDConnectProviders, then GetOpenIDConnectProvider for each GitLab Cloud Connector provider.</summary>
    public Task<Observation<IReadOnlyList<OidcProviderFacts>>> OidcProvidersAsync(CancellationToken cancellationToken) =>
        AwsObservation.ReadAsync<IReadOnlyList<OidcProviderFacts>>(async ct =>
        {
            var arns = await iam.ListOpenIdConnectProvidersAsync(new ListOpenIdConnectProvidersRequest(), ct);
            var providers = new List<OidcProviderFacts>();
            // Other providers (GitHub Actions, EKS...) are none of the validator's business; reading them would only widen its permissions' use.
            foreach (var arn in arns.Where(a => CloudConnectorIdentity.InstanceIdFromArn(a) is not null))
            {
                try
                {
                    var provider = await iam.GetOpenIdConnectProviderAsync(new GetOpenIdConnectProviderRequest(arn), ct);
                    providers.Add(new OidcProviderFacts(arn, provider.Url, provider.ClientIds));
                }
                // Deleted between the listing and the read: it is not there.
                catch (AwsApiException e) when (e.ErrorCode == AwsErrorCodes.NoSuchEntity)
                {
                }
            }
            return Observe.Seen<IReadOnlyList<OidcProviderFacts>>(providers);
        }, cancellationToken);

    /// <summary>
    /// GetRole, ListRolePolicies + GetRolePolicy for each inline policy, ListAttachedRolePolicies +
    /// GetPolicy + GetPolicyVersion (default version) for each managed policy. A managed policy whose
    /// document cannot be read is kept without it (the check says so); anything else that cannot be
    /// read makes the whole role unavailable, since judging half its policies would mislead.
    /// </summary>
    public Task<Observation<RoleFacts>> RoleAsync(string roleName, CancellationToken cancellationToken) =>
        AwsObservation.ReadAsync(async ct =>
        {
            var role = await iam.GetRoleAsync(new GetRoleRequest(roleName), ct);

            var inline = new List<InlinePolicyFacts>();
            await foreach (var name in iam.ListRolePoliciesAsync(new ListRolePoliciesRequest(roleName), ct))
            {
                var policy = await iam.GetRolePolicyAsync(new GetRolePolicyRequest(roleName, name), ct);
                inline.Add(new InlinePolicyFacts(policy.PolicyName, policy.PolicyDocument));
            }

            var attached = new List<AttachedPolicyFacts>();
            await foreach (var policy in iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest(roleName), ct))
            {
                var (document, unreadable) = await DefaultVersionDocumentAsync(policy.PolicyArn, ct);
                attached.Add(new AttachedPolicyFacts(policy.PolicyArn, policy.PolicyName, document) { Unreadable = unreadable });
            }

            return Observe.Seen(new RoleFacts(
                role.RoleName,
                role.Arn,
                role.AssumeRolePolicyDocument ?? "",
                // IAM's default when a role was created without one.
                role.MaxSessionDuration ?? 3600,
                attached,
                inline));
        }, cancellationToken);

    /// <returns>The document, or why it could not be read, naming the permission a refusal lacked.</returns>
    private async Task<(string? Document, string? Unreadable)> DefaultVersionDocumentAsync(string policyArn, CancellationToken cancellationToken)
    {
        var action = "iam:GetPolicy";
        try
        {
            var policy = await iam.GetPolicyAsync(new GetPolicyRequest(policyArn), cancellationToken);
            action = "iam:GetPolicyVersion";
            var version = await iam.GetPolicyVersionAsync(new GetPolicyVersionRequest(policyArn, policy.DefaultVersionId), cancellationToken);
            return (version.Document, null);
        }
        // Refused or gone: the check evaluates the policies it has and names this one as not evaluated, and why.
        catch (AwsApiException e) when (e.ErrorCode is AwsErrorCodes.NoSuchEntity or AwsErrorCodes.AccessDenied)
        {
            return (null, e.ErrorCode == AwsErrorCodes.AccessDenied ? $"{e.ErrorCode}: the validator needs {action}" : e.ErrorCode);
        }
    }
}
