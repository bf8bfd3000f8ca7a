using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Clients.IamGuardSetup;

namespace DuoQServerless.IntegrationTests.Guards;

/// <summary>
/// An account in which an agent made one of every change the IAM guard reverts: AdministratorAccess
/// on a role, a user and a group; inline policies on each; a new access key and console password;
/// a new default policy version; and, on the protected Amazon Q role, a swapped trust policy, a
/// detached policy and a shortened session.
/// </summary>
internal sealed record IamRevertScenario(
    IReadOnlyList<RevertPlan> Plans,
    string NewAccessKeyId,
    string OtherAccessKeyId,
    string ManagedPolicyArn,
    string QPolicyArn)
{
    public const string Role = "ci-deployer";
    public const string User = "build-bot";
    public const string Group = "deployers";
    public const string QRole = "QDeveloperAccess";
    public const string QDescription = "Amazon Q Developer for GitLab Duo + ops";
    public const string Inline = "everything";
    public const string StarStar = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public const string GoodTrustPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::""" + TestCredentials.AccountId +
        """:oidc-provider/auth.token.gitlab.com/cc/prod/01jb"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"auth.token.gitlab.com/cc/prod/01jb:aud":"gitlab-cc-01jb"}}}]}""";

    public const string AnyoneTrustPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""";

    public static readonly DateTimeOffset ValidatedAt = new(2025, 3, 14, 8, 0, 0, TimeSpan.Zero);

    public static async Task<IamRevertScenario> CreateAsync(IamClient iam, TrustPolicyStore trust)
    {
        await iam.CreateRoleAsync(Role);
        await iam.CreateUserAsync(User);
        await iam.CreateGroupAsync(Group);
        await iam.AttachRolePolicyForSetUpAsync(Role, AdministratorAccess);
        await iam.AttachUserPolicyAsync(User, AdministratorAccess);
        await iam.AttachGroupPolicyAsync(Group, AdministratorAccess);
        await iam.PutRolePolicyForSetUpAsync(Role, Inline, StarStar);
        await iam.PutUserPolicyAsync(User, Inline, StarStar);
        await iam.PutGroupPolicyAsync(Group, Inline, StarStar);
        var other = await iam.CreateAccessKeyAsync(User);
        var created = await iam.CreateAccessKeyAsync(User);
        await iam.CreateLoginProfileAsync(User);

        var managed = await iam.CreatePolicyAsync("deploy-permissions", IamSetup.AllowPolicy("lambda:UpdateFunctionCode"));
        await iam.CreatePolicyVersionAsync(managed, IamSetup.AllowPolicy("lambda:UpdateFunctionCode", "lambda:GetFunction"), setAsDefault: true);
        var unwanted = await iam.CreatePolicyVersionAsync(managed, StarStar, setAsDefault: true);

        // The Q role as the validator found it healthy, then as an agent left it.
        await iam.CreateRoleAsync(QRole, maxSessionDuration: 43200, description: QDescription);
        await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest(QRole, GoodTrustPolicy));
        await trust.SaveGoodAsync(QRole, GoodTrustPolicy, ValidatedAt);
        await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest(QRole, AnyoneTrustPolicy));
        await iam.UpdateRoleAsync(new UpdateRoleRequest(QRole, 3600, QDescription));
        var qPolicy = await iam.CreatePolicyAsync("DuoQDeveloperPermissions", IamSetup.AllowPolicy("q:*", "codewhisperer:*"));

        return new IamRevertScenario(
        [
            new DetachPolicy(PrincipalKind.Role, Role, AdministratorAccess),
            new DetachPolicy(PrincipalKind.User, User, AdministratorAccess),
            new DetachPolicy(PrincipalKind.Group, Group, AdministratorAccess),
            new DeleteInlinePolicy(PrincipalKind.Role, Role, Inline),
            new DeleteInlinePolicy(PrincipalKind.User, User, Inline),
            new DeleteInlinePolicy(PrincipalKind.Group, Group, Inline),
            new DeactivateAccessKey(User, created.AccessKeyId),
            new DeleteLoginProfile(User),
            new RestoreDefaultPolicyVersion(managed, unwanted),
            new RestoreTrustPolicy(QRole),
            new RestoreMaxSessionDuration(QRole, 43200),
            new ReattachPolicy(PrincipalKind.Role, QRole, qPolicy),
        ], created.AccessKeyId, other.AccessKeyId, managed, qPolicy);
    }

    /// <summary>The IAM actions the IAM detector declares for its role: reverts, their reads, lookups and approval tags.</summary>
    public static IReadOnlyList<string> DeclaredIamActions =>
        Detectors.IamChange.RevertActions.Concat(Detectors.IamChange.ReadActions)
            .Where(action => action.StartsWith("iam:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
}
