using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>
/// Gathers the facts <see cref="DuoQValidator"/> checks, one AWS or GitLab call per field: which
/// account (STS), the GitLab identity providers and the role with its policies (IAM), the key
/// (KMS), the security groups (EC2), the GitLab token (SSM) and GitLab itself. Inputs that were
/// not given are NotAsked; the parts are read concurrently.
/// </summary>
public sealed class DuoQSetupGatherer(AwsClientFactory aws, GitLabReadOptions? gitLab = null)
{
    /// <summary>
    /// Every IAM action the gatherer may call: the validator's least-privilege role. The optional
    /// parts need theirs only when configured (KMS for a key, EC2 for groups, SSM for a token).
    /// </summary>
    public static IReadOnlyList<string> Permissions { get; } =
    [
        "sts:GetCallerIdentity",
        "iam:ListOpenIDConnectProviders",
        "iam:GetOpenIDConnectProvider",
        "iam:GetRole",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "ec2:DescribeSecurityGroups",
        "ssm:GetParameter",
    ];

    private readonly GitLabReadOptions _gitLab = gitLab ?? new GitLabReadOptions();

    /// <exception cref="SetupUnreadableException">AWS could not say which account this is: nothing else can be read either.</exception>
    public async Task<DuoQSetupFacts> GatherAsync(ValidationTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var account = await AccountIdAsync(cancellationToken);

        var iam = new IamSetupReader(aws.Iam);
        var providers = iam.OidcProvidersAsync(cancellationToken);
        var role = iam.RoleAsync(target.RoleName, cancellationToken);
        var key = target.KmsKeyId is { } keyId
            ? new KeyAndNetworkReader(aws.Kms, aws.Ec2).KeyAsync(keyId, cancellationToken)
            : Task.FromResult(Observe.NotAsked<KmsKeyFacts>("no KMS key was given (--kms-key, DUOQ_KMS_KEY_ID); the guide's customer managed key step is optional"));
        var groups = target.SecurityGroupIds.Count > 0
            ? new KeyAndNetworkReader(aws.Kms, aws.Ec2).SecurityGroupsAsync(target.SecurityGroupIds, cancellationToken)
            : Task.FromResult(Observe.NotAsked<IReadOnlyList<SecurityGroupFacts>>("no security group of the GitLab instance was given (--security-group, DUOQ_SECURITY_GROUP_IDS)"));
        var gitLabFacts = new GitLabSetupReader(aws.Ssm, _gitLab).ReadAsync(target, cancellationToken);
        await Task.WhenAll(providers, role, key, groups, gitLabFacts);

        return new DuoQSetupFacts
        {
            AccountId = account,
            Region = aws.Settings.Region.SystemName,
            InstanceIdArgument = target.InstanceId,
            RoleName = target.RoleName,
            HttpsPort = target.HttpsPort,
            OidcProviders = await providers,
            Role = await role,
            KmsKey = await key,
            SecurityGroups = await groups,
            GitLab = await gitLabFacts,
        };
    }

    private async Task<string> AccountIdAsync(CancellationToken cancellationToken)
    {
        try
        {
            var identity = await AwsObservation.SdkAsync("sts", "GetCallerIdentity",
                () => aws.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken));
            return identity.Account;
        }
        // GetCallerIdentity needs no permission: failing means bad credentials or no AWS at all.
        catch (AwsApiException e)
        {
            throw new SetupUnreadableException($"AWS refused to say which account this is ({e.Action}: {e.ErrorCode}: {e.ErrorMessage}); check the credentials", e);
        }
        // No answer after the SDK's retries.
        catch (HttpRequestException e)
        {
            throw new SetupUnreadableException($"AWS did not answer sts:GetCallerIdentity: {e.Message}", e);
        }
        // The HTTP timeout fired, not our caller's cancellation.
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SetupUnreadableException("AWS did not answer sts:GetCallerIdentity in time", e);
        }
        // No credentials found, or the endpoint is unusable: the SDK never sent the call.
        catch (AmazonClientException e)
        {
            throw new SetupUnreadableException($"sts:GetCallerIdentity could not be called: {e.Message}", e);
        }
    }
}

/// <summary>The setup could not be read at all (no credentials, no AWS): there is no report to give.</summary>
public sealed class SetupUnreadableException(string message, Exception inner) : Exception(message, inner);
