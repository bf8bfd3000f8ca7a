namespace DuoQServerless.Core.Validation.Checks;

/// <summary>Check 1: an IAM OIDC provider for https://auth.token.gitlab.com/cc/oidc/ID with audience gitlab-cc-ID.</summary>
internal static class OidcProviderCheck
{
    private static CheckDefinition Check => DuoQChecks.OidcProvider;

    public static CheckResult Run(SetupContext context)
    {
        switch (context.Facts.OidcProviders)
        {
            case Observation<IReadOnlyList<OidcProviderFacts>>.NotAsked notAsked:
                return Check.Skipped(notAsked.Why);
            case Observation<IReadOnlyList<OidcProviderFacts>>.Unavailable unavailable:
                return Check.Fail(
                    [$"could not read the IAM identity providers: {unavailable.Error}"],
                    Fixes.ValidatorAccess("iam:ListOpenIDConnectProviders and iam:GetOpenIDConnectProvider"));
            case Observation<IReadOnlyList<OidcProviderFacts>>.Seen or Observation<IReadOnlyList<OidcProviderFacts>>.Absent:
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        var providers = context.GitLabProviders;
        var found = providers.Count == 0
            ? "GitLab identity providers in the account: none"
            : $"GitLab identity providers in the account: {string.Join(", ", providers.Select(p => p.Arn))}";

        if (context.Expected.Id is not { } id)
        {
            return providers.Count == 0
                ? Check.Fail(["no IAM identity provider for https://auth.token.gitlab.com/cc/oidc/<instance id> exists"], Fixes.CreateIdentityProvider("<instance id>"))
                : Check.Skipped($"cannot tell which instance to expect ({context.Expected.Source}); {found}", "Pass --instance-id with the UUID shown in GitLab's Amazon Q settings.");
        }

        var expectedUrl = CloudConnectorIdentity.ProviderUrl(id);
        var provider = providers.FirstOrDefault(p => CloudConnectorIdentity.InstanceIdFromUrl(p.Url) == id);
        if (provider is null)
        {
            return Check.Fail(
                [$"no IAM identity provider with URL {expectedUrl} (instance id from {context.Expected.Source})", found],
                Fixes.CreateIdentityProvider(id));
        }

        var audience = CloudConnectorIdentity.Audience(id);
        if (!provider.ClientIds.Contains(audience, StringComparer.Ordinal))
        {
            return Check.Fail(
                [$"{provider.Arn} has the audiences [{string.Join(", ", provider.ClientIds)}], not {audience}: GitLab's tokens would be refused"],
                Fixes.AddAudience(provider.Arn, id));
        }

        return Check.Pass($"{provider.Arn}: URL {expectedUrl}, audience {audience} (instance id from {context.Expected.Source})");
    }
}
