using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// IAM set-up the project never does itself (creating roles, users, policies), sent through
/// the same Query client so set-up exercises the same signing and encoding.
/// </summary>
public static class IamSetup
{
    public const string LambdaTrustPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    public static string AllowPolicy(params string[] actions) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{string.Join(",", actions.Select(a => $"\"{a}\""))}}],"Resource":"*"}]}""";

    public static async Task<string> CreateRoleAsync(this IamClient iam, string name, string trustPolicy = LambdaTrustPolicy, string? path = null, string? description = null)
    {
        var result = await iam.Query.InvokeAsync("CreateRole", new QueryParameters()
            .Add("RoleName", name)
            .Add("AssumeRolePolicyDocument", trustPolicy)
            .Add("Path", path)
            .Add("Description", description));
        return result.Child("Role")!.RequiredText("Arn");
    }

    public static async Task<string> CreateUserAsync(this IamClient iam, string name)
    {
        var result = await iam.Query.InvokeAsync("CreateUser", new QueryParameters().Add("UserName", name));
        return result.Child("User")!.RequiredText("Arn");
    }

    public static async Task<(string AccessKeyId, string SecretAccessKey)> CreateAccessKeyAsync(this IamClient iam, string userName)
    {
        var result = await iam.Query.InvokeAsync("CreateAccessKey", new QueryParameters().Add("UserName", userName));
        var key = result.Child("AccessKey")!;
        return (key.RequiredText("AccessKeyId"), key.RequiredText("SecretAccessKey"));
    }

    public static Task PutUserPolicyAsync(this IamClient iam, string userName, string policyName, string document) =>
        iam.Query.InvokeAsync("PutUserPolicy", new QueryParameters().Add("UserName", userName).Add("PolicyName", policyName).Add("PolicyDocument", document));

    public static async Task<string> CreateGroupAsync(this IamClient iam, string name)
    {
        var result = await iam.Query.InvokeAsync("CreateGroup", new QueryParameters().Add("GroupName", name));
        return result.Child("Group")!.RequiredText("Arn");
    }

    public static async Task<string> CreatePolicyAsync(this IamClient iam, string name, string document)
    {
        var result = await iam.Query.InvokeAsync("CreatePolicy", new QueryParameters().Add("PolicyName", name).Add("PolicyDocument", document));
        return result.Child("Policy")!.RequiredText("Arn");
    }

    public static async Task<IReadOnlyList<string>> AttachedUserPolicyArnsAsync(this IamClient iam, string userName)
    {
        var result = await iam.Query.InvokeAsync("ListAttachedUserPolicies", new QueryParameters().Add("UserName", userName));
        return result.Members("AttachedPolicies").Select(p => p.RequiredText("PolicyArn")).ToArray();
    }

    public static async Task<IReadOnlyList<string>> AttachedGroupPolicyArnsAsync(this IamClient iam, string groupName)
    {
        var result = await iam.Query.InvokeAsync("ListAttachedGroupPolicies", new QueryParameters().Add("GroupName", groupName));
        return result.Members("AttachedPolicies").Select(p => p.RequiredText("PolicyArn")).ToArray();
    }

    public static async Task<IReadOnlyList<string>> UserPolicyNamesAsync(this IamClient iam, string userName)
    {
        var result = await iam.Query.InvokeAsync("ListUserPolicies", new QueryParameters().Add("UserName", userName));
        return result.Strings("PolicyNames");
    }

    public static async Task<string> CreateOpenIdConnectProviderAsync(this IamClient iam, string url, string clientId, string thumbprint)
    {
        var result = await iam.Query.InvokeAsync("CreateOpenIDConnectProvider", new QueryParameters()
            .Add("Url", url)
            .AddEach("ClientIDList.member", [clientId], (q, name, value) => q.Add(name, value))
            .AddEach("ThumbprintList.member", [thumbprint], (q, name, value) => q.Add(name, value)));
        return result.RequiredText("OpenIDConnectProviderArn");
    }
}
