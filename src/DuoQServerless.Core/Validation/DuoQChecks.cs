namespace DuoQServerless.Core.Validation;

/// <summary>The eleven checks, in the order of the guide. Ids are stable: stored results and alerts key on them.</summary>
public static class DuoQChecks
{
    public static readonly CheckDefinition OidcProvider =
        new(1, "oidc-provider", "IAM OIDC identity provider for the GitLab instance", DuoQGuide.CreateIdentityProvider);

    public static readonly CheckDefinition TrustPolicy =
        new(2, "trust-policy", "Role trust policy accepts only this instance's GitLab token", DuoQGuide.CreateRole);

    public static readonly CheckDefinition SessionDuration =
        new(3, "session-duration", "Role maximum session duration is 12 hours", DuoQGuide.EditRole);

    public static readonly CheckDefinition Permissions =
        new(4, "permissions", "Role allows the Amazon Q actions GitLab Duo needs, and little else", DuoQGuide.CreateInlinePolicy);

    public static readonly CheckDefinition KmsKey =
        new(5, "kms-key", "Customer managed key usable by the role only through Amazon Q", DuoQGuide.CustomerManagedKeys);

    public static readonly CheckDefinition Network =
        new(6, "network", "Amazon Q addresses may reach GitLab's HTTPS port", DuoQGuide.Prerequisites);

    public static readonly CheckDefinition GitLabTls =
        new(7, "gitlab-tls", "GitLab's HTTPS certificate is publicly trusted and valid", DuoQGuide.Prerequisites);

    public static readonly CheckDefinition GitLabVersion =
        new(8, "gitlab-version", "GitLab is 17.11 or later", DuoQGuide.Prerequisites);

    public static readonly CheckDefinition GitLabAmazonQ =
        new(9, "gitlab-amazon-q-app", "GitLab created the Amazon Q OAuth application and the amazon-q service account", DuoQGuide.EnterArn);

    public static readonly CheckDefinition GitLabProbes =
        new(10, "gitlab-connection-probes", "GitLab's own Cloud Connector and Amazon Q probes pass", DuoQGuide.Troubleshooting);

    public static readonly CheckDefinition InstanceUuid =
        new(11, "instance-uuid", "Instance UUID agrees between GitLab, the argument and the identity provider", DuoQGuide.UuidMismatch);

    public static IReadOnlyList<CheckDefinition> All { get; } =
        [OidcProvider, TrustPolicy, SessionDuration, Permissions, KmsKey, Network, GitLabTls, GitLabVersion, GitLabAmazonQ, GitLabProbes, InstanceUuid];
}
