namespace DuoQServerless.Core.Validation;

/// <summary>
/// Everything the checks look at, gathered beforehand so the checks stay pure. Each field maps
/// onto one AWS or GitLab call: OIDC providers from ListOpenIDConnectProviders +
/// GetOpenIDConnectProvider, the role from GetRole + ListAttachedRolePolicies (+ GetPolicy /
/// GetPolicyVersion for each default version) + ListRolePolicies / GetRolePolicy, the key from
/// KMS DescribeKey + GetKeyPolicy("default"), the groups from EC2 DescribeSecurityGroups, and
/// <see cref="GitLab"/> from the GitLab probe. Policy documents are kept as the text IAM returned
/// (URL-encoded or not).
/// </summary>
public sealed record DuoQSetupFacts
{
    public const string DefaultRoleName = "QDeveloperAccess";

    public required string AccountId { get; init; }
    public required string Region { get; init; }

    /// <summary>The instance UUID the administrator passed (<c>--instance-id</c>), copied from GitLab's Amazon Q settings page.</summary>
    public string? InstanceIdArgument { get; init; }

    public string RoleName { get; init; } = DefaultRoleName;

    /// <summary>The inbound HTTPS port of the GitLab instance (the port of the GitLab URL, 443 by default).</summary>
    public int HttpsPort { get; init; } = 443;

    public Observation<IReadOnlyList<OidcProviderFacts>> OidcProviders { get; init; } =
        Observe.NotAsked<IReadOnlyList<OidcProviderFacts>>("the IAM identity providers were not read");

    public Observation<RoleFacts> Role { get; init; } = Observe.NotAsked<RoleFacts>("the IAM role was not read");

    /// <summary>NotAsked when no customer managed key is configured: the guide's key step is optional.</summary>
    public Observation<KmsKeyFacts> KmsKey { get; init; } =
        Observe.NotAsked<KmsKeyFacts>("no KMS key was given (--kms-key); the guide's customer managed key step is optional");

    /// <summary>NotAsked when no security group of the GitLab instance was given.</summary>
    public Observation<IReadOnlyList<SecurityGroupFacts>> SecurityGroups { get; init; } =
        Observe.NotAsked<IReadOnlyList<SecurityGroupFacts>>("no security group of the GitLab instance was given (--security-group)");

    public GitLabFacts GitLab { get; init; } = GitLabFacts.NotAsked("no GitLab URL and token were given (--gitlab-url, --gitlab-token-parameter)");
}

/// <summary>An IAM OpenID Connect provider. <see cref="Url"/> as IAM returns it (usually without "https://").</summary>
public sealed record OidcProviderFacts(string Arn, string Url, IReadOnlyList<string> ClientIds);

public sealed record RoleFacts(
    string Name,
    string Arn,
    string TrustPolicyDocument,
    int MaxSessionDurationSeconds,
    IReadOnlyList<AttachedPolicyFacts> AttachedPolicies,
    IReadOnlyList<InlinePolicyFacts> InlinePolicies);

/// <summary>A managed policy attached to the role, with the document of its default version when it could be read.</summary>
public sealed record AttachedPolicyFacts(string PolicyArn, string PolicyName, string? DefaultVersionDocument)
{
    /// <summary>Why the default version could not be read (AWS's code and the permission it needs).</summary>
    public string? Unreadable { get; init; }
}

public sealed record InlinePolicyFacts(string PolicyName, string Document);

/// <summary>KMS DescribeKey metadata and the key policy. KeyManager is "CUSTOMER" or "AWS"; KeyState as KMS spells it.</summary>
public sealed record KmsKeyFacts(string KeyId, string Arn, bool Enabled, string KeyManager, string KeyState, string KeyPolicy);

public sealed record SecurityGroupFacts(string GroupId, string? GroupName, IReadOnlyList<IngressRuleFacts> Ingress);

/// <summary>
/// One EC2 IpPermission. <see cref="IpProtocol"/> is "tcp", "udp", "icmp", "-1" (all) or a number;
/// ports are null for "-1".
/// </summary>
public sealed record IngressRuleFacts(
    string IpProtocol,
    int? FromPort,
    int? ToPort,
    IReadOnlyList<string> Ipv4Cidrs,
    IReadOnlyList<string>? Ipv6Cidrs = null,
    IReadOnlyList<string>? PrefixListIds = null,
    IReadOnlyList<string>? SourceGroupIds = null);
