namespace DuoQServerless.Core.Validation;

/// <summary>
/// What to do when a check does not pass, in the words of GitLab's guide "Set up GitLab Duo with
/// Amazon Q": each text names the guide section it follows and fills in this account's values.
/// </summary>
public static class Fixes
{
    private const string AmazonQSettings =
        "in GitLab, as an administrator: Admin > Settings > General > expand GitLab Duo with Amazon Q > View configuration setup";

    public static string CreateIdentityProvider(string instanceId) =>
        $"""
        Guide, {DuoQGuide.CreateIdentityProvider}: {AmazonQSettings}, and copy the provider URL and audience from step 1.
        Then in the AWS IAM console: Access Management > Identity providers > Add provider; provider type OpenID Connect;
        provider URL {CloudConnectorIdentity.ProviderUrl(instanceId)}; audience {CloudConnectorIdentity.Audience(instanceId)}; Add provider.
        """;

    public static string AddAudience(string providerArn, string instanceId) =>
        $"""
        Guide, {DuoQGuide.CreateIdentityProvider}: the provider's audience must be the value GitLab shows in step 1 of its Amazon Q
        settings, {CloudConnectorIdentity.Audience(instanceId)}. Add it to {providerArn} (IAM console: Identity providers > the
        provider > Audiences > Add audience), or delete the provider and add it again with that audience.
        """;

    public static string TrustPolicy(string accountId, string instanceId, string roleName) =>
        $$$"""
        Guide, {{{DuoQGuide.CreateRole}}}: the role is created with "Web identity", the provider URL and the audience entered before,
        and its trust policy must read as below. Edit it in the IAM console (Roles > {{{roleName}}} > Trust relationships >
        Edit trust policy) and remove any other principal:
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": "{{{CloudConnectorIdentity.ProviderArn(accountId, instanceId)}}}"},
            "Condition": {"StringEquals": {"{{{CloudConnectorIdentity.AudienceKey(instanceId)}}}": "{{{CloudConnectorIdentity.Audience(instanceId)}}}"}}
          }]
        }
        """;

    public static string CreateRole(string accountId, string instanceId, string roleName) =>
        $"""
        Guide, {DuoQGuide.CreateRole}: in the IAM console choose Access Management > Roles > Create role > Web identity, select the
        provider {CloudConnectorIdentity.ProviderUrl(instanceId)} and audience {CloudConnectorIdentity.Audience(instanceId)}, attach
        {DuoQGuide.ManagedPolicyName}, and name the role {roleName}. Then follow {DuoQGuide.EditRole} and paste the role ARN
        (arn:aws:iam::{accountId}:role/{roleName}) in GitLab ({DuoQGuide.EnterArn}).
        """;

    public static string SessionDuration(string roleName) =>
        $"""
        Guide, {DuoQGuide.EditRole}: set the session duration to 12 hours, or AssumeRoleWithWebIdentity fails in the AI gateway.
        In the IAM console: Roles search > {roleName} > Summary > Edit > Maximum session duration > 12 hours > Save changes
        (or: aws iam update-role --role-name {roleName} --max-session-duration {DuoQGuide.RequiredSessionSeconds}).
        """;

    public static string Permissions(string roleName) =>
        $"""
        Guide, {DuoQGuide.CreateRole} (Add permissions): attach the AWS managed policy {DuoQGuide.ManagedPolicyName} to {roleName}
        ({DuoQGuide.ManagedPolicyArn}); or, per {DuoQGuide.CreateInlinePolicy}, add an inline policy named
        {DuoQGuide.InlinePolicyName} with this document, and remove any Deny that blocks these actions:
        {DuoQGuide.PermissionsPolicyDocument}
        """;

    public static string NarrowPermissions(string roleName) =>
        $"""
        The guide's permissions ({DuoQGuide.CreateRole}, {DuoQGuide.CreateInlinePolicy}) are the Amazon Q actions above and the plugin
        actions on {DuoQGuide.PluginResource} only. {roleName} is assumed by GitLab's AI gateway with a token of your GitLab
        instance, so every other grant listed here is available to it: remove those statements, or move them to another role.
        """;

    public static string KeyPolicy(string roleArn, string region) =>
        $$$"""
        Guide, {{{DuoQGuide.CustomerManagedKeys}}}: the key policy must allow the role to use the key, and only through Amazon Q
        (the kms:ViaService condition key limits use of the key to requests from that service). Add this statement to the key
        policy (KMS console > Customer managed keys > the key > Key policy > Edit):
        {
          "Sid": "AllowGitLabDuoWithAmazonQ",
          "Effect": "Allow",
          "Principal": {"AWS": "{{{roleArn}}}"},
          "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
                     "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
          "Resource": "*",
          "Condition": {"StringEquals": {"kms:ViaService": ["q.{{{region}}}.amazonaws.com"]}}
        }
        """;

    public static string UsableKey(string keyId) =>
        $"""
        Guide, {DuoQGuide.CustomerManagedKeys}: Amazon Q encrypts with a customer managed key (KeyManager CUSTOMER) that is enabled.
        For {keyId}: enable it (aws kms enable-key --key-id {keyId}) or, if it is pending deletion, cancel the deletion
        (aws kms cancel-key-deletion --key-id {keyId}) and enable it; an AWS managed key cannot be used: create a customer managed key.
        """;

    public static string OpenIngress(int port, IEnumerable<string> groupIds, IEnumerable<string> addresses)
    {
        var group = groupIds.FirstOrDefault() ?? "<security group of the GitLab instance>";
        var ranges = string.Join(",", addresses.Select(a => $"{{CidrIp={a}/32,Description=Amazon Q}}"));
        return $"""
            Guide, {DuoQGuide.Prerequisites}: the instance must accept inbound TCP/TLS on the port it serves (443 by default) from the
            Amazon Q service addresses {string.Join(", ", DuoQGuide.AmazonQAddresses)}. Add the missing ones to {group}:
            aws ec2 authorize-security-group-ingress --group-id {group} --ip-permissions 'IpProtocol=tcp,FromPort={port},ToPort={port},IpRanges=[{ranges}]'
            """;
    }

    public static string NarrowIngress(int port) =>
        $"""
        Guide, {DuoQGuide.Prerequisites}: Amazon Q needs port {port} from {string.Join(", ", DuoQGuide.AmazonQAddresses)} only. A rule open to
        0.0.0.0/0 (or ::/0) lets anyone reach the instance; unless the instance must serve the internet, replace it with the three /32 rules.
        """;

    public static string Certificate(string host) =>
        $"""
        Guide, {DuoQGuide.Prerequisites}: Amazon Q reads and writes through the instance's REST API and must reach its HTTPS URL, and the
        SSL certificate must not be self-signed (https://docs.gitlab.com/omnibus/settings/ssl/). Serve a certificate for {host} issued
        by a public certificate authority with its full chain (for a Linux package install, e.g. letsencrypt['enable'] = true in
        /etc/gitlab/gitlab.rb, then sudo gitlab-ctl reconfigure), and renew it before it expires.
        """;

    public static string Upgrade(string? version) =>
        $"""
        Guide, {DuoQGuide.Prerequisites}: GitLab Duo with Amazon Q needs GitLab Self-Managed 17.11 or later (generally available in 17.11).
        Upgrade the instance{(version is null ? "" : $" from {version}")}.
        """;

    public static string EnableAmazonQ(string roleArn) =>
        $"""
        Guide, {DuoQGuide.EnterArn}: {AmazonQSettings}; under IAM role ARN paste {roleArn}, choose who may use it, and Save changes.
        Saving makes GitLab connect to the AI gateway and create the OAuth application in Amazon Q (and the amazon-q service
        account). To confirm: GitLab shows "Amazon Q settings have been saved", CloudWatch logs show a 204 status code, and
        Admin > Applications lists the Amazon Q OAuth application. If the amazon-q user exists but is blocked or deactivated,
        reactivate it (Admin > Users > amazon-q).
        """;

    public static string Probes() =>
        $"""
        Guide, {DuoQGuide.Troubleshooting}: if GitLab cannot connect to Amazon Q, first make sure the installation meets every prerequisite
        (checks 6 to 8 here). Each failed probe's message above says what failed: when Amazon Q could not call the instance, check
        inbound access and the certificate; when the credentials stored in Amazon Q are not valid, disconnect and start over by
        saving the role ARN again ({DuoQGuide.EnterArn}).
        """;

    public static string UuidMismatch() =>
        $"""
        This is the guide's {DuoQGuide.UuidMismatch} case (it typically follows a restore from backup, a move to new infrastructure,
        or any other change of the instance UUID). Validate, per the guide:
          1. Sign in to the EC2 instance that hosts GitLab.
          2. Open the Rails console (sudo gitlab-rails console).
          3. Get the current UUID: Gitlab::CurrentSettings.current_application_settings.uuid
          4. Get the JWT: token = CloudConnector::Tokens.get(unit_primitive: :agent_quick_actions, resource: :instance); JWT.decode(token, false, nil)
          If the `sub` field and the `gitlab_instance_uuid` from steps 3 and 4 differ, the UUID mismatch is the cause.
        Resolve, per the guide:
          1. Remove all active licenses.
          2. Remove all subscription add-on purchases; in the Rails console: GitlabSubscriptions::AddOnPurchase.all.destroy_all
          3. Reset the instance UUID; in the Rails console: ApplicationSetting.update!(uuid: SecureRandom.uuid)
          4. Apply the active license.
          5. Wait about a minute and synchronize the license; this forces the Cloud Connector token to be regenerated (without it, the headers mismatch).
          6. Update the identity provider and the IAM role with the new UUID.
          7. Choose the next step: keep the existing configuration by updating the existing identity provider and IAM role with the new
             UUID and continue using GitLab Duo with Amazon Q; or offboard from GitLab Duo with Amazon Q and, if needed, set up a new connection.
        Then run the validator again with --instance-id set to the new UUID (GitLab shows it in the provider URL, step 1 of its Amazon Q settings).
        """;

    public static string ValidatorAccess(string permissions) =>
        $"The validator could not read this. Give the role it runs as {permissions}, then run it again.";

    public static string GitLabAccess() =>
        """
        The validator could not ask GitLab. Check that the GitLab URL answers over HTTPS from where the validator runs, and that the
        token stored in the SSM SecureString parameter belongs to an administrator and has the scopes api (or read_api) and
        read_service_ping.
        """;
}
