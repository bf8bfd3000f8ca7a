using DuoQServerless.Core.Validation;

namespace DuoQServerless.Tests.Validation;

/// <summary>A setup done exactly as GitLab's guide says, as facts; tests break one thing at a time.</summary>
internal static class CorrectSetup
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";
    public const string InstanceId = "1f0e5c6a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    public const string OtherInstanceId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    public const string RoleName = "QDeveloperAccess";
    public const string RoleArn = $"arn:aws:iam::{Account}:role/{RoleName}";
    public const string KeyId = "0b7c1d3e-aaaa-bbbb-cccc-1234567890ab";
    public const string KeyArn = $"arn:aws:kms:{Region}:{Account}:key/{KeyId}";
    public const string GroupId = "sg-0a1b2c3d4e5f60718";

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static string TrustPolicy(string principalInstance = InstanceId, string audience = $"gitlab-cc-{InstanceId}", string? extraStatement = null) => $$$"""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Principal": {"Federated": "arn:aws:iam::{{{Account}}}:oidc-provider/auth.token.gitlab.com/cc/oidc/{{{principalInstance}}}"},
              "Condition": {"StringEquals": {"auth.token.gitlab.com/cc/oidc/{{{principalInstance}}}:aud": "{{{audience}}}"}}
            }{{{(extraStatement is null ? "" : "," + extraStatement)}}}
          ]
        }
        """;

    public static string KeyPolicy(string actions = """["kms:Decrypt","kms:DescribeKey","kms:Encrypt","kms:GenerateDataKey","kms:GenerateDataKeyWithoutPlaintext","kms:ReEncryptFrom","kms:ReEncryptTo"]""",
        bool viaService = true) => $$$"""
        {
          "Version": "2012-10-17",
          "Id": "key-default-1",
          "Statement": [
            {
              "Sid": "Enable IAM User Permissions",
              "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::{{{Account}}}:root"},
              "Action": "kms:*",
              "Resource": "*"
            },
            {
              "Sid": "Sid0",
              "Effect": "Allow",
              "Principal": {"AWS": "{{{RoleArn}}}"},
              "Action": {{{actions}}},
              "Resource": "*"{{{(viaService ? """, "Condition": {"StringEquals": {"kms:ViaService": ["q.us-east-1.amazonaws.com"]}}""" : "")}}}
            }
          ]
        }
        """;

    public static RoleFacts Role(string? trustPolicy = null, int maxSession = 43200, IReadOnlyList<InlinePolicyFacts>? inline = null, IReadOnlyList<AttachedPolicyFacts>? attached = null) => new(
        RoleName,
        RoleArn,
        trustPolicy ?? TrustPolicy(),
        maxSession,
        attached ?? [],
        inline ?? [new InlinePolicyFacts(DuoQGuide.InlinePolicyName, DuoQGuide.PermissionsPolicyDocument)]);

    public static OidcProviderFacts Provider(string instance = InstanceId, string? audience = null) => new(
        $"arn:aws:iam::{Account}:oidc-provider/auth.token.gitlab.com/cc/oidc/{instance}",
        $"auth.token.gitlab.com/cc/oidc/{instance}",
        [audience ?? $"gitlab-cc-{instance}"]);

    public static KmsKeyFacts Key(string? policy = null, bool enabled = true, string state = "Enabled", string manager = "CUSTOMER") =>
        new(KeyId, KeyArn, enabled, manager, state, policy ?? KeyPolicy());

    public static SecurityGroupFacts Group(params string[] cidrs) => new(
        GroupId,
        "gitlab",
        [
            new IngressRuleFacts("tcp", 22, 22, ["10.0.0.0/8"]),
            new IngressRuleFacts("tcp", 443, 443, cidrs.Length > 0 ? cidrs : ["34.228.181.128/32", "44.219.176.187/32", "54.226.244.221/32"]),
        ]);

    public static TlsFacts Tls(bool selfSigned = false, bool trusted = true, bool hostMatches = true, DateTimeOffset? notAfter = null) => new(
        "gitlab.example.com",
        443,
        "CN=gitlab.example.com",
        selfSigned ? "CN=gitlab.example.com" : "CN=R11, O=Let's Encrypt, C=US",
        Now.AddDays(-30),
        notAfter ?? Now.AddDays(60),
        trusted,
        selfSigned,
        hostMatches,
        []);

    public static readonly IReadOnlyList<CloudConnectorProbe> PassingProbes =
    [
        new("license_probe", true, "Subscription can be synchronized."),
        new("host_probe", true, "cloud.gitlab.com reachable."),
        new("end_to_end_probe", true, "Amazon Q successfully received the callback request from your GitLab instance."),
        new("end_to_end_probe", true, "Credentials stored in Amazon Q are valid and functioning correctly."),
    ];

    public static GitLabFacts GitLab(
        string version = "17.11.2-ee",
        IReadOnlyList<GitLabApplication>? applications = null,
        Observation<GitLabUser>? user = null,
        IReadOnlyList<CloudConnectorProbe>? probes = null,
        string uuid = InstanceId,
        TlsFacts? tls = null) => new(
        new Uri("https://gitlab.example.com"),
        Observe.Seen(tls ?? Tls()),
        Observe.Seen(version),
        Observe.Seen(applications ?? [new GitLabApplication(7, DuoQGuide.OAuthApplicationName, "https://gitlab.example.com/-/amazon_q/callback", true)]),
        user ?? Observe.Seen(new GitLabUser(42, "amazon-q", "Amazon Q Service", "active", true)),
        Observe.Seen(new CloudConnectorStatus((probes ?? PassingProbes).All(p => p.Success), probes ?? PassingProbes)),
        Observe.Seen(uuid));

    public static DuoQSetupFacts Facts() => new()
    {
        AccountId = Account,
        Region = Region,
        InstanceIdArgument = InstanceId,
        RoleName = RoleName,
        OidcProviders = Observe.Seen<IReadOnlyList<OidcProviderFacts>>([Provider()]),
        Role = Observe.Seen(Role()),
        KmsKey = Observe.Seen(Key()),
        SecurityGroups = Observe.Seen<IReadOnlyList<SecurityGroupFacts>>([Group()]),
        GitLab = GitLab(),
    };

    public static ValidationReport Validate(DuoQSetupFacts facts) => DuoQValidator.Validate(facts, Now);
}
