using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Iam;

/// <summary>
/// The operations the IAM guard needs beyond the validator's: reading what a user or group holds,
/// undoing what an agent granted (inline policies, console passwords, default policy versions,
/// session duration) and the tags exemptions and approvals live in.
/// </summary>
public sealed partial class IamClient
{
    public IAsyncEnumerable<AttachedPolicy> ListAttachedUserPoliciesAsync(ListAttachedUserPoliciesRequest request, CancellationToken cancellationToken = default) =>
        ListAttachedAsync("ListAttachedUserPolicies", "UserName", request.UserName, request.PageSize, request, cancellationToken);

    public IAsyncEnumerable<AttachedPolicy> ListAttachedGroupPoliciesAsync(ListAttachedGroupPoliciesRequest request, CancellationToken cancellationToken = default) =>
        ListAttachedAsync("ListAttachedGroupPolicies", "GroupName", request.GroupName, request.PageSize, request, cancellationToken);

    public async Task<InlinePolicy> GetUserPolicyAsync(GetUserPolicyRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("UserName", request.UserName).Add("PolicyName", request.PolicyName);
        var result = await Query.InvokeAsync("GetUserPolicy", parameters, request, cancellationToken);
        return InlinePolicy.Read(result, result.Text("UserName") ?? request.UserName, request.PolicyName);
    }

    public async Task<InlinePolicy> GetGroupPolicyAsync(GetGroupPolicyRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("GroupName", request.GroupName).Add("PolicyName", request.PolicyName);
        var result = await Query.InvokeAsync("GetGroupPolicy", parameters, request, cancellationToken);
        return InlinePolicy.Read(result, result.Text("GroupName") ?? request.GroupName, request.PolicyName);
    }

    public Task DeleteGroupPolicyAsync(DeleteGroupPolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteGroupPolicy", new QueryParameters().Add("GroupName", request.GroupName).Add("PolicyName", request.PolicyName), request, cancellationToken);

    /// <summary>The user's console password settings; NoSuchEntity when the user has no console password.</summary>
    public async Task<LoginProfile> GetLoginProfileAsync(GetLoginProfileRequest request, CancellationToken cancellationToken = default)
    {
        var result = await Query.InvokeAsync("GetLoginProfile", new QueryParameters().Add("UserName", request.UserName), request, cancellationToken);
        return LoginProfile.Read(Required(result, "LoginProfile"));
    }

    /// <summary>Removes the user's console password (the user and its keys stay).</summary>
    public Task DeleteLoginProfileAsync(DeleteLoginProfileRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteLoginProfile", new QueryParameters().Add("UserName", request.UserName), request, cancellationToken);

    /// <summary>Every version of a managed policy, without documents (read one with GetPolicyVersion).</summary>
    public IAsyncEnumerable<PolicyVersionSummary> ListPolicyVersionsAsync(ListPolicyVersionsRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add("PolicyArn", request.PolicyArn).Add("MaxItems", request.PageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync("ListPolicyVersions", parameters, request, token);
            return Page(result, result.Members("Versions").Select(PolicyVersionSummary.Read));
        }, cancellationToken);

    public Task SetDefaultPolicyVersionAsync(SetDefaultPolicyVersionRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("SetDefaultPolicyVersion", new QueryParameters().Add("PolicyArn", request.PolicyArn).Add("VersionId", request.VersionId), request, cancellationToken);

    /// <summary>Changes the role's maximum session duration and description; a null member is left out.</summary>
    public Task UpdateRoleAsync(UpdateRoleRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("UpdateRole", new QueryParameters()
            .Add("RoleName", request.RoleName)
            .Add("Description", request.Description)
            .Add("MaxSessionDuration", request.MaxSessionDuration), request, cancellationToken);

    public IAsyncEnumerable<IamTag> ListRoleTagsAsync(ListRoleTagsRequest request, CancellationToken cancellationToken = default) =>
        ListTagsAsync("ListRoleTags", "RoleName", request.RoleName, request.PageSize, request, cancellationToken);

    public IAsyncEnumerable<IamTag> ListUserTagsAsync(ListUserTagsRequest request, CancellationToken cancellationToken = default) =>
        ListTagsAsync("ListUserTags", "UserName", request.UserName, request.PageSize, request, cancellationToken);

    /// <summary>Adds or overwrites tags on the role; its other tags stay.</summary>
    public Task TagRoleAsync(TagRoleRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("TagRole", WithTags(new QueryParameters().Add("RoleName", request.RoleName), request.Tags), request, cancellationToken);

    /// <summary>Adds or overwrites tags on the user; its other tags stay.</summary>
    public Task TagUserAsync(TagUserRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("TagUser", WithTags(new QueryParameters().Add("UserName", request.UserName), request.Tags), request, cancellationToken);

    private IAsyncEnumerable<AttachedPolicy> ListAttachedAsync(
        string action, string principalParameter, string principalName, int? pageSize, object request, CancellationToken cancellationToken) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add(principalParameter, principalName).Add("MaxItems", pageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync(action, parameters, request, token);
            return Page(result, result.Members("AttachedPolicies").Select(p => new AttachedPolicy(p.RequiredText("PolicyName"), p.RequiredText("PolicyArn"))));
        }, cancellationToken);

    private IAsyncEnumerable<IamTag> ListTagsAsync(
        string action, string principalParameter, string principalName, int? pageSize, object request, CancellationToken cancellationToken) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add(principalParameter, principalName).Add("MaxItems", pageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync(action, parameters, request, token);
            return Page(result, IamTag.ReadAll(result));
        }, cancellationToken);

    private static QueryParameters WithTags(QueryParameters parameters, IReadOnlyList<IamTag> tags) =>
        parameters.AddEach("Tags.member", tags, (query, member, tag) => query.Add($"{member}.Key", tag.Key).Add($"{member}.Value", tag.Value));
}
