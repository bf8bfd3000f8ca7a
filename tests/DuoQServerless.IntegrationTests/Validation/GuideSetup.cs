using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>
/// An account set up as GitLab's guide "Set up GitLab Duo with Amazon Q" says: the identity
/// provider, the QDeveloperAccess role (web identity trust, 12 h sessions, the guide's inline
/// policy), a customer managed key usable by the role through Amazon Q, and the GitLab
/// instance's security group open on 443 to Amazon Q's three addresses. Seeded into moto with
/// our IAM client and the served KMS and EC2 clients; each Break* method undoes one step.
/// </summary>
public sealed class GuideSetup(AwsClientFactory aws, string keyId, string groupId)
{
    public const string InstanceId = "1f0e5c6a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    public const string OtherInstanceId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    public const string RoleName = DuoQSetupFacts.DefaultRoleName;
    public const string RoleArn = $"arn:aws:iam::{TestCredentials.AccountId}:role/{RoleName}";
    public static readonly string[] AmazonQCidrs = ["34.228.181.128/32", "44.219.176.187/32", "54.226.244.221/32"];

    public string KeyId { get; } = keyId;

    public string GroupId { get; } = groupId;

    /// <summary>What the validator is asked to look at: this role, instance, key and group.</summary>
    public ValidationTarget Target => ((TargetOutcome.Valid)ValidationTarget.Create(RoleName, InstanceId, KeyId, [GroupId], null, null)).Target;

    public static async Task<GuideSetup> SeedAsync(AwsClientFactory aws, string? audience = null)
    {
        await aws.Iam.CreateOpenIdConnectProviderAsync(
            $"https://auth.token.gitlab.com/cc/oidc/{InstanceId}", audience ?? $"gitlab-cc-{InstanceId}", "9e99a48a9960b14926bb7f3b02e22da2b0ab7280");
        await aws.Iam.Query.InvokeAsync("CreateRole", new QueryParameters()
            .Add("RoleName", RoleName)
            .Add("AssumeRolePolicyDocument", TrustPolicy())
            .Add("MaxSessionDuration", DuoQGuide.RequiredSessionSeconds));
        await aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest(RoleName, DuoQGuide.InlinePolicyName, DuoQGuide.PermissionsPolicyDocument));

        var key = await aws.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "Amazon Q Developer in GitLab" });
        var setup = new GuideSetup(aws, key.KeyMetadata.KeyId, await SecurityGroupAsync(aws));
        await setup.PutKeyPolicyAsync(KeyPolicy());
        return setup;
    }

    public static string TrustPolicy(string instance = InstanceId, string audienceInstance = InstanceId) => $$$$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity",
          "Principal":{"Federated":"arn:aws:iam::{{{{TestCredentials.AccountId}}}}:oidc-provider/auth.token.gitlab.com/cc/oidc/{{{{instance}}}}"},
          "Condition":{"StringEquals":{"auth.token.gitlab.com/cc/oidc/{{{{instance}}}}:aud":"gitlab-cc-{{{{audienceInstance}}}}"}}}]}
        """;

    public static string KeyPolicy(IEnumerable<string>? actions = null, bool viaService = true)
    {
        var actionList = string.Join(",", (actions ?? DuoQGuide.KeyActions).Select(a => $"\"{a}\""));
        var condition = viaService ? ""","Condition":{"StringEquals":{"kms:ViaService":"q.us-east-1.amazonaws.com"}}""" : "";
        return $$$$"""
            {"Version":"2012-10-17","Id":"key-default-1","Statement":[
              {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{{{TestCredentials.AccountId}}}}:root"},"Action":"kms:*","Resource":"*"},
              {"Sid":"Amazon Q Developer in GitLab","Effect":"Allow","Principal":{"AWS":"{{{{RoleArn}}}}"},"Action":[{{{{actionList}}}}],"Resource":"*"{{{{condition}}}}}]}
            """;
    }

    /// <summary>The guide's permissions policy with the given edits applied to its text.</summary>
    public static string PermissionsPolicy(Func<string, string> edit) => edit(DuoQGuide.PermissionsPolicyDocument);

    public Task UpdateTrustPolicyAsync(string document) =>
        aws.Iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest(RoleName, document));

    public Task SetMaxSessionDurationAsync(int seconds) =>
        aws.Iam.Query.InvokeAsync("UpdateRole", new QueryParameters().Add("RoleName", RoleName).Add("MaxSessionDuration", seconds));

    public Task PutPermissionsPolicyAsync(string document) =>
        aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest(RoleName, DuoQGuide.InlinePolicyName, document));

    public Task PutKeyPolicyAsync(string document) =>
        aws.Kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = KeyId, PolicyName = "default", Policy = document });

    public Task DisableKeyAsync() => aws.Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = KeyId });

    public Task RevokeAsync(string cidr) => aws.Ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
    {
        GroupId = GroupId,
        IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv4Ranges = [new IpRange { CidrIp = cidr }] }],
    });

    private static async Task<string> SecurityGroupAsync(AwsClientFactory aws)
    {
        var group = await aws.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("gitlab", "GitLab instance"));
        await aws.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = group.GroupId,
            IpPermissions =
            [
                new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }] },
                new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv4Ranges = [.. AmazonQCidrs.Select(c => new IpRange { CidrIp = c })] },
            ],
        });
        return group.GroupId;
    }
}
