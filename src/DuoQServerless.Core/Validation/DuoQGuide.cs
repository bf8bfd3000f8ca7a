namespace DuoQServerless.Core.Validation;

/// <summary>A section of GitLab's guide "Set up GitLab Duo with Amazon Q", by its anchor.</summary>
public sealed record GuideSection(string Title, string Anchor)
{
    public string Url => $"{DuoQGuide.Url}#{Anchor}";

    public override string ToString() => $"\"{Title}\"";
}

/// <summary>
/// The facts of GitLab's setup guide (docs.gitlab.com, user/duo_amazon_q/setup) the checks test
/// against: its sections, the Cloud Connector identity names, the permissions and addresses.
/// </summary>
public static class DuoQGuide
{
    public const string Url = "https://docs.gitlab.com/user/duo_amazon_q/setup/";

    public static readonly GuideSection Prerequisites = new("Prerequisites", "prerequisites");
    public static readonly GuideSection CreateIdentityProvider = new("Create an IAM identity provider", "create-an-iam-identity-provider");
    public static readonly GuideSection CreateRole = new("Create an IAM role", "create-an-iam-role");
    public static readonly GuideSection CreateInlinePolicy = new("Create an inline policy (optional)", "create-an-inline-policy-optional");
    public static readonly GuideSection EditRole = new("Edit the role", "edit-the-role");
    public static readonly GuideSection EnterArn = new("Enter the ARN in GitLab and enable Amazon Q", "enter-the-arn-in-gitlab-and-enable-amazon-q");
    public static readonly GuideSection CustomerManagedKeys = new("Allow administrators to use customer managed keys", "allow-administrators-to-use-customer-managed-keys");
    public static readonly GuideSection Troubleshooting = new("Troubleshooting", "troubleshooting");
    public static readonly GuideSection UuidMismatch = new("GitLab instance UUID mismatch", "gitlab-instance-uuid-mismatch");

    public const int MinimumMajor = 17;
    public const int MinimumMinor = 11;
    public const int RequiredSessionSeconds = 43200;
    public const int CertificateWarningDays = 30;

    /// <summary>Where Amazon Q calls the GitLab instance from (guide: Prerequisites).</summary>
    public static readonly IReadOnlyList<string> AmazonQAddresses = ["34.228.181.128", "44.219.176.187", "54.226.244.221"];

    public const string ManagedPolicyName = "GitLabDuoWithAmazonQPermissionsPolicy";
    public const string ManagedPolicyArn = "arn:aws:iam::aws:policy/GitLabDuoWithAmazonQPermissionsPolicy";
    public const string InlinePolicyName = "gitlab-duo-amazon-q-policy";
    public const string PluginResource = "arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*";

    public static readonly IReadOnlyList<string> ActionsOnAnyResource =
    [
        "q:SendEvent", "q:CreateAuthGrant", "q:UpdateAuthGrant", "q:GenerateCodeRecommendations", "q:SendMessage",
        "q:ListPlugins", "q:VerifyOAuthAppConnection", "q:CreateOAuthAppConnection", "q:DeleteOAuthAppConnection",
    ];

    public static readonly IReadOnlyList<string> PluginActions = ["q:CreatePlugin", "q:DeletePlugin", "q:GetPlugin"];

    public static readonly IReadOnlyList<string> KeyActions =
    [
        "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom", "kms:ReEncryptTo",
    ];

    public const string OAuthApplicationName = "Amazon Q OAuth";
    public const string ServiceAccountUsername = "amazon-q";

    /// <summary>The permissions policy of the guide's inline-policy step; the AWS managed policy's v1 document is the same.</summary>
    public const string PermissionsPolicyDocument = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "GitLabDuoUsagePermissions",
              "Effect": "Allow",
              "Action": ["q:SendEvent", "q:CreateAuthGrant", "q:UpdateAuthGrant", "q:GenerateCodeRecommendations",
                         "q:SendMessage", "q:ListPlugins", "q:VerifyOAuthAppConnection"],
              "Resource": "*"
            },
            {
              "Sid": "GitLabDuoManagementPermissions",
              "Effect": "Allow",
              "Action": ["q:CreateOAuthAppConnection", "q:DeleteOAuthAppConnection"],
              "Resource": "*"
            },
            {
              "Sid": "GitLabDuoPluginPermissions",
              "Effect": "Allow",
              "Action": ["q:CreatePlugin", "q:DeletePlugin", "q:GetPlugin"],
              "Resource": "arn:aws:qdeveloper:*:*:plugin/GitLabDuoWithAmazonQ/*"
            }
          ]
        }
        """;
}

/// <summary>The names GitLab's Cloud Connector gives an instance's OIDC identity in AWS.</summary>
public static class CloudConnectorIdentity
{
    private const string Host = "auth.token.gitlab.com/cc/oidc/";

    public static string ProviderUrl(string instanceId) => $"https://{Host}{instanceId}";

    public static string Audience(string instanceId) => $"gitlab-cc-{instanceId}";

    public static string ProviderArn(string accountId, string instanceId) => $"arn:aws:iam::{accountId}:oidc-provider/{Host}{instanceId}";

    public static string AudienceKey(string instanceId) => $"{Host}{instanceId}:aud";

    /// <summary>The instance id in a provider URL as IAM stores it (with or without https://), or null.</summary>
    public static string? InstanceIdFromUrl(string url)
    {
        var path = url.Trim();
        if (path.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) path = path["https://".Length..];
        path = path.TrimEnd('/');
        if (!path.StartsWith(Host, StringComparison.OrdinalIgnoreCase)) return null;
        var id = path[Host.Length..];
        return id.Length > 0 && !id.Contains('/') ? id : null;
    }

    /// <summary>The instance id in a provider ARN, or null when the ARN is not a GitLab Cloud Connector provider.</summary>
    public static string? InstanceIdFromArn(string arn)
    {
        var marker = arn.IndexOf(":oidc-provider/", StringComparison.Ordinal);
        return marker < 0 ? null : InstanceIdFromUrl(arn[(marker + ":oidc-provider/".Length)..]);
    }

    /// <summary>The instance id in an audience condition key such as "auth.token.gitlab.com/cc/oidc/ID:aud", or null.</summary>
    public static string? InstanceIdFromConditionKey(string key) =>
        key.EndsWith(":aud", StringComparison.OrdinalIgnoreCase) ? InstanceIdFromUrl(key[..^":aud".Length]) : null;
}
