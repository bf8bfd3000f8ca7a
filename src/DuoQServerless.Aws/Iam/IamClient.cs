using System.Xml.Linq;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Iam;

/// <summary>
/// The IAM operations the guards use, over the Query protocol (2010-05-08, global endpoint,
/// signed for the partition's home region). Listings page through Marker/IsTruncated lazily.
/// Errors are <see cref="AwsApiException"/> with IAM's codes (NoSuchEntity, AccessDenied...).
/// </summary>
public sealed partial class IamClient
{
    internal IamClient(QueryProtocolClient query) => Query = query;

    /// <summary>The underlying Query client, for actions without a typed operation (test and demo set-up).</summary>
    public QueryProtocolClient Query { get; }

    public async Task<IamRole> GetRoleAsync(GetRoleRequest request, CancellationToken cancellationToken = default)
    {
        var result = await Query.InvokeAsync("GetRole", new QueryParameters().Add("RoleName", request.RoleName), request, cancellationToken);
        return IamRole.Read(Required(result, "Role"));
    }

    public IAsyncEnumerable<IamRole> ListRolesAsync(ListRolesRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add("PathPrefix", request.PathPrefix).Add("MaxItems", request.PageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync("ListRoles", parameters, request, token);
            return Page(result, result.Members("Roles").Select(IamRole.Read));
        }, cancellationToken);

    /// <summary>Replaces the role's trust policy.</summary>
    public Task UpdateAssumeRolePolicyAsync(UpdateAssumeRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("UpdateAssumeRolePolicy", new QueryParameters().Add("RoleName", request.RoleName).Add("PolicyDocument", request.PolicyDocument), request, cancellationToken);

    public async Task<RoleInlinePolicy> GetRolePolicyAsync(GetRolePolicyRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("RoleName", request.RoleName).Add("PolicyName", request.PolicyName);
        var result = await Query.InvokeAsync("GetRolePolicy", parameters, request, cancellationToken);
        return new RoleInlinePolicy(
            result.Text("RoleName") ?? request.RoleName,
            result.Text("PolicyName") ?? request.PolicyName,
            result.PolicyDocument("PolicyDocument") ?? throw new FormatException("GetRolePolicy returned no PolicyDocument"));
    }

    public Task PutRolePolicyAsync(PutRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("PutRolePolicy", new QueryParameters()
            .Add("RoleName", request.RoleName)
            .Add("PolicyName", request.PolicyName)
            .Add("PolicyDocument", request.PolicyDocument), request, cancellationToken);

    public Task DeleteRolePolicyAsync(DeleteRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteRolePolicy", new QueryParameters().Add("RoleName", request.RoleName).Add("PolicyName", request.PolicyName), request, cancellationToken);

    /// <summary>The names of the role's inline policies.</summary>
    public IAsyncEnumerable<string> ListRolePoliciesAsync(ListRolePoliciesRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add("RoleName", request.RoleName).Add("MaxItems", request.PageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync("ListRolePolicies", parameters, request, token);
            return Page(result, result.Strings("PolicyNames"));
        }, cancellationToken);

    public IAsyncEnumerable<AttachedPolicy> ListAttachedRolePoliciesAsync(ListAttachedRolePoliciesRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters()
                .Add("RoleName", request.RoleName)
                .Add("PathPrefix", request.PathPrefix)
                .Add("MaxItems", request.PageSize)
                .Add("Marker", marker);
            var result = await Query.InvokeAsync("ListAttachedRolePolicies", parameters, request, token);
            return Page(result, result.Members("AttachedPolicies").Select(p => new AttachedPolicy(p.RequiredText("PolicyName"), p.RequiredText("PolicyArn"))));
        }, cancellationToken);

    public Task AttachRolePolicyAsync(AttachRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("AttachRolePolicy", new QueryParameters().Add("RoleName", request.RoleName).Add("PolicyArn", request.PolicyArn), request, cancellationToken);

    public Task DetachRolePolicyAsync(DetachRolePolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DetachRolePolicy", new QueryParameters().Add("RoleName", request.RoleName).Add("PolicyArn", request.PolicyArn), request, cancellationToken);

    public Task DetachUserPolicyAsync(DetachUserPolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DetachUserPolicy", new QueryParameters().Add("UserName", request.UserName).Add("PolicyArn", request.PolicyArn), request, cancellationToken);

    public Task DetachGroupPolicyAsync(DetachGroupPolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DetachGroupPolicy", new QueryParameters().Add("GroupName", request.GroupName).Add("PolicyArn", request.PolicyArn), request, cancellationToken);

    public Task DeleteUserPolicyAsync(DeleteUserPolicyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteUserPolicy", new QueryParameters().Add("UserName", request.UserName).Add("PolicyName", request.PolicyName), request, cancellationToken);

    public IAsyncEnumerable<AccessKeyMetadata> ListAccessKeysAsync(ListAccessKeysRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add("UserName", request.UserName).Add("MaxItems", request.PageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync("ListAccessKeys", parameters, request, token);
            return Page(result, result.Members("AccessKeyMetadata").Select(AccessKeyMetadata.Read));
        }, cancellationToken);

    /// <summary>Activates or deactivates an access key (a deactivated key can be reactivated; nothing is deleted).</summary>
    public Task UpdateAccessKeyAsync(UpdateAccessKeyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("UpdateAccessKey", new QueryParameters()
            .Add("UserName", request.UserName)
            .Add("AccessKeyId", request.AccessKeyId)
            .Add("Status", AccessKeyMetadata.Format(request.Status)), request, cancellationToken);

    public async Task<ManagedPolicy> GetPolicyAsync(GetPolicyRequest request, CancellationToken cancellationToken = default)
    {
        var result = await Query.InvokeAsync("GetPolicy", new QueryParameters().Add("PolicyArn", request.PolicyArn), request, cancellationToken);
        return ManagedPolicy.Read(Required(result, "Policy"));
    }

    public async Task<PolicyVersion> GetPolicyVersionAsync(GetPolicyVersionRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("PolicyArn", request.PolicyArn).Add("VersionId", request.VersionId);
        var result = await Query.InvokeAsync("GetPolicyVersion", parameters, request, cancellationToken);
        var version = Required(result, "PolicyVersion");
        return new PolicyVersion(
            version.Text("VersionId") ?? request.VersionId,
            version.Bool("IsDefaultVersion") ?? false,
            version.PolicyDocument("Document") ?? throw new FormatException("GetPolicyVersion returned no Document"),
            version.Date("CreateDate"));
    }

    /// <summary>The ARNs of the account's OpenID Connect providers (IAM does not page this list).</summary>
    public async Task<IReadOnlyList<string>> ListOpenIdConnectProvidersAsync(ListOpenIdConnectProvidersRequest request, CancellationToken cancellationToken = default)
    {
        var result = await Query.InvokeAsync("ListOpenIDConnectProviders", new QueryParameters(), request, cancellationToken);
        return result.Members("OpenIDConnectProviderList").Select(p => p.RequiredText("Arn")).ToArray();
    }

    public async Task<OpenIdConnectProvider> GetOpenIdConnectProviderAsync(GetOpenIdConnectProviderRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("OpenIDConnectProviderArn", request.OpenIdConnectProviderArn);
        var result = await Query.InvokeAsync("GetOpenIDConnectProvider", parameters, request, cancellationToken);
        return new OpenIdConnectProvider(
            request.OpenIdConnectProviderArn,
            result.RequiredText("Url"),
            result.Strings("ClientIDList"),
            result.Strings("ThumbprintList"),
            result.Date("CreateDate"),
            IamTag.ReadAll(result));
    }

    private async Task SendAsync(string action, QueryParameters parameters, object request, CancellationToken cancellationToken) =>
        await Query.InvokeAsync(action, parameters, request, cancellationToken);

    private static Page<T> Page<T>(XElement result, IEnumerable<T> items) =>
        new(items.ToArray(), result.Bool("IsTruncated") == true ? result.Text("Marker") : null);

    private static XElement Required(XElement result, string name) =>
        result.Child(name) ?? throw new FormatException($"<{result.Name.LocalName}> has no <{name}>");
}
