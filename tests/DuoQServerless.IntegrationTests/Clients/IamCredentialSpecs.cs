using DuoQServerless.Aws.Iam;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>Access keys and OpenID Connect providers: how agents and GitLab pipelines get into the account.</summary>
public sealed class IamCredentialSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string GitLabThumbprint = "b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a";

    [Fact]
    public async Task ListAccessKeys_lists_every_key_of_the_user_as_active()
    {
        await Aws.Iam.CreateUserAsync("agent");
        await Aws.Iam.CreateUserAsync("someone-else");
        var first = await Aws.Iam.CreateAccessKeyAsync("agent");
        var second = await Aws.Iam.CreateAccessKeyAsync("agent");
        await Aws.Iam.CreateAccessKeyAsync("someone-else");

        var keys = await Aws.Iam.ListAccessKeysAsync(new ListAccessKeysRequest("agent")).ToListAsync();

        Assert.Equal(new[] { first.AccessKeyId, second.AccessKeyId }.Order(), keys.Select(k => k.AccessKeyId).Order());
        Assert.All(keys, k => Assert.Equal(("agent", AccessKeyStatus.Active), (k.UserName, k.Status)));
    }

    [Fact]
    public async Task UpdateAccessKey_deactivates_a_key_and_can_reactivate_it()
    {
        await Aws.Iam.CreateUserAsync("agent");
        var leaked = await Aws.Iam.CreateAccessKeyAsync("agent");
        var other = await Aws.Iam.CreateAccessKeyAsync("agent");

        await Aws.Iam.UpdateAccessKeyAsync(new UpdateAccessKeyRequest(leaked.AccessKeyId, AccessKeyStatus.Inactive, "agent"));
        var afterDeactivation = await StatusesAsync();
        await Aws.Iam.UpdateAccessKeyAsync(new UpdateAccessKeyRequest(leaked.AccessKeyId, AccessKeyStatus.Active, "agent"));
        var afterReactivation = await StatusesAsync();

        Assert.Equal(AccessKeyStatus.Inactive, afterDeactivation[leaked.AccessKeyId]);
        Assert.Equal(AccessKeyStatus.Active, afterDeactivation[other.AccessKeyId]);
        Assert.Equal(AccessKeyStatus.Active, afterReactivation[leaked.AccessKeyId]);

        async Task<Dictionary<string, AccessKeyStatus>> StatusesAsync() =>
            (await Aws.Iam.ListAccessKeysAsync(new ListAccessKeysRequest("agent")).ToListAsync()).ToDictionary(k => k.AccessKeyId, k => k.Status);
    }

    [Fact]
    public async Task ListOpenIdConnectProviders_lists_the_arn_of_every_provider()
    {
        var gitlab = await Aws.Iam.CreateOpenIdConnectProviderAsync("https://gitlab.com", "https://gitlab.com", GitLabThumbprint);
        var selfHosted = await Aws.Iam.CreateOpenIdConnectProviderAsync("https://gitlab.example.org/group", "sts.amazonaws.com", GitLabThumbprint);

        var arns = await Aws.Iam.ListOpenIdConnectProvidersAsync(new ListOpenIdConnectProvidersRequest());

        Assert.Equal(new[] { gitlab, selfHosted }.Order(), arns.Order());
        Assert.Contains($"arn:aws:iam::{TestCredentials.AccountId}:oidc-provider/gitlab.com", arns);
    }

    [Fact]
    public async Task GetOpenIdConnectProvider_returns_its_url_audiences_and_thumbprints()
    {
        var arn = await Aws.Iam.CreateOpenIdConnectProviderAsync("https://gitlab.com", "https://gitlab.com", GitLabThumbprint);

        var provider = await Aws.Iam.GetOpenIdConnectProviderAsync(new GetOpenIdConnectProviderRequest(arn));

        Assert.Equal(arn, provider.Arn);
        Assert.Equal("gitlab.com", provider.Url);
        Assert.Equal(["https://gitlab.com"], provider.ClientIds);
        Assert.Equal([GitLabThumbprint], provider.Thumbprints);
    }
}
