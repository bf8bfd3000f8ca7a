using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// Set-up for the IAM guard's specs: the grants an agent makes (attachments, inline policies,
/// console passwords, policy versions), sent as raw Query calls so set-up never depends on the
/// operations under test.
/// </summary>
public static class IamGuardSetup
{
    public const string AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
    public const string ReadOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    public static async Task<string> CreateRoleAsync(this IamClient iam, string name, int maxSessionDuration, string? description = null)
    {
        var result = await iam.Query.InvokeAsync("CreateRole", new QueryParameters()
            .Add("RoleName", name)
            .Add("AssumeRolePolicyDocument", IamSetup.LambdaTrustPolicy)
            .Add("Description", description)
            .Add("MaxSessionDuration", maxSessionDuration));
        return result.Child("Role")!.RequiredText("Arn");
    }

    public static Task AttachUserPolicyAsync(this IamClient iam, string userName, string policyArn) =>
        iam.Query.InvokeAsync("AttachUserPolicy", new QueryParameters().Add("UserName", userName).Add("PolicyArn", policyArn));

    public static Task AttachGroupPolicyAsync(this IamClient iam, string groupName, string policyArn) =>
        iam.Query.InvokeAsync("AttachGroupPolicy", new QueryParameters().Add("GroupName", groupName).Add("PolicyArn", policyArn));

    public static Task AttachRolePolicyForSetUpAsync(this IamClient iam, string roleName, string policyArn) =>
        iam.Query.InvokeAsync("AttachRolePolicy", new QueryParameters().Add("RoleName", roleName).Add("PolicyArn", policyArn));

    public static Task PutRolePolicyForSetUpAsync(this IamClient iam, string roleName, string policyName, string document) =>
        iam.Query.InvokeAsync("PutRolePolicy", new QueryParameters().Add("RoleName", roleName).Add("PolicyName", policyName).Add("PolicyDocument", document));

    public static Task PutGroupPolicyAsync(this IamClient iam, string groupName, string policyName, string document) =>
        iam.Query.InvokeAsync("PutGroupPolicy", new QueryParameters().Add("GroupName", groupName).Add("PolicyName", policyName).Add("PolicyDocument", document));

    public static Task CreateLoginProfileAsync(this IamClient iam, string userName, string password = "Correct-Horse-Battery-9") =>
        iam.Query.InvokeAsync("CreateLoginProfile", new QueryParameters().Add("UserName", userName).Add("Password", password));

    public static async Task<string> CreatePolicyVersionAsync(this IamClient iam, string policyArn, string document, bool setAsDefault)
    {
        var result = await iam.Query.InvokeAsync("CreatePolicyVersion", new QueryParameters()
            .Add("PolicyArn", policyArn).Add("PolicyDocument", document).Add("SetAsDefault", setAsDefault));
        return result.Child("PolicyVersion")!.RequiredText("VersionId");
    }

    public static Task TagRoleForSetUpAsync(this IamClient iam, string roleName, string key, string value) =>
        iam.Query.InvokeAsync("TagRole", new QueryParameters().Add("RoleName", roleName).Add("Tags.member.1.Key", key).Add("Tags.member.1.Value", value));

    public static Task TagUserForSetUpAsync(this IamClient iam, string userName, string key, string value) =>
        iam.Query.InvokeAsync("TagUser", new QueryParameters().Add("UserName", userName).Add("Tags.member.1.Key", key).Add("Tags.member.1.Value", value));

    public static async Task<IReadOnlyList<string>> AttachedRolePolicyArnsAsync(this IamClient iam, string roleName)
    {
        var result = await iam.Query.InvokeAsync("ListAttachedRolePolicies", new QueryParameters().Add("RoleName", roleName));
        return result.Members("AttachedPolicies").Select(p => p.RequiredText("PolicyArn")).ToArray();
    }

    public static async Task<IReadOnlyList<string>> RolePolicyNamesAsync(this IamClient iam, string roleName)
    {
        var result = await iam.Query.InvokeAsync("ListRolePolicies", new QueryParameters().Add("RoleName", roleName));
        return result.Strings("PolicyNames");
    }

    public static async Task<IReadOnlyList<string>> GroupPolicyNamesAsync(this IamClient iam, string groupName)
    {
        var result = await iam.Query.InvokeAsync("ListGroupPolicies", new QueryParameters().Add("GroupName", groupName));
        return result.Strings("PolicyNames");
    }

    /// <summary>Whether the user has a console password, read with a raw GetLoginProfile.</summary>
    public static async Task<bool> HasLoginProfileAsync(this IamClient iam, string userName)
    {
        try
        {
            await iam.Query.InvokeAsync("GetLoginProfile", new QueryParameters().Add("UserName", userName));
            return true;
        }
        // IAM's answer for a user without a console password.
        catch (AwsApiException e) when (e.ErrorCode == AwsErrorCodes.NoSuchEntity)
        {
            return false;
        }
    }

    /// <summary>Each access key's id and status, read with a raw ListAccessKeys.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> AccessKeyStatusesAsync(this IamClient iam, string userName)
    {
        var result = await iam.Query.InvokeAsync("ListAccessKeys", new QueryParameters().Add("UserName", userName));
        return result.Members("AccessKeyMetadata").ToDictionary(k => k.RequiredText("AccessKeyId"), k => k.RequiredText("Status"));
    }

    /// <summary>The version id marked default, read with a raw GetPolicy.</summary>
    public static async Task<string> DefaultVersionOfAsync(this IamClient iam, string policyArn)
    {
        var result = await iam.Query.InvokeAsync("GetPolicy", new QueryParameters().Add("PolicyArn", policyArn));
        return result.Child("Policy")!.RequiredText("DefaultVersionId");
    }

    /// <summary>The role's MaxSessionDuration and Description, read with a raw GetRole.</summary>
    public static async Task<(int? MaxSessionDuration, string? Description)> SessionOfAsync(this IamClient iam, string roleName)
    {
        var role = (await iam.Query.InvokeAsync("GetRole", new QueryParameters().Add("RoleName", roleName))).Child("Role")!;
        return (role.Int("MaxSessionDuration"), role.Text("Description"));
    }
}
