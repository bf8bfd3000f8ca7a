using System.Xml.Linq;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Iam;

/// <summary>
/// The operations the compliance report needs: every role, user and group with the policies they
/// hold in one paginated listing (GetAccountAuthorizationDetails), and the users whose access keys
/// it ages.
/// </summary>
public sealed partial class IamClient
{
    /// <summary>Every page of the listing, merged. Documents come URL-decoded.</summary>
    public async Task<AuthorizationDetails> GetAccountAuthorizationDetailsAsync(GetAccountAuthorizationDetailsRequest request, CancellationToken cancellationToken = default)
    {
        var roles = new List<RoleDetail>();
        var users = new List<UserDetail>();
        var groups = new List<GroupDetail>();
        var policies = new List<ManagedPolicyDetail>();
        string? marker = null;
        do
        {
            var parameters = new QueryParameters()
                .AddEach("Filter.member", request.Filter, (query, name, filter) => query.Add(name, filter))
                .Add("MaxItems", request.PageSize)
                .Add("Marker", marker);
            var result = await Query.InvokeAsync("GetAccountAuthorizationDetails", parameters, request, cancellationToken);
            roles.AddRange(result.Members("RoleDetailList").Select(RoleDetail.Read));
            users.AddRange(result.Members("UserDetailList").Select(UserDetail.Read));
            groups.AddRange(result.Members("GroupDetailList").Select(GroupDetail.Read));
            policies.AddRange(result.Members("Policies").Select(ManagedPolicyDetail.Read));
            var next = result.Bool("IsTruncated") == true ? result.Text("Marker") : null;
            if (next is not null && next == marker)
                throw new InvalidOperationException($"IAM returned the same page marker twice ({marker})");
            marker = next;
        }
        while (!string.IsNullOrEmpty(marker));
        return new AuthorizationDetails(roles, users, groups, policies);
    }

    public IAsyncEnumerable<IamUser> ListUsersAsync(ListUsersRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters().Add("PathPrefix", request.PathPrefix).Add("MaxItems", request.PageSize).Add("Marker", marker);
            var result = await Query.InvokeAsync("ListUsers", parameters, request, token);
            return Page(result, result.Members("Users").Select(IamUser.Read));
        }, cancellationToken);
}

/// <param name="Filter">Which entity types to list: Role, User, Group, LocalManagedPolicy, AWSManagedPolicy (all when empty).</param>
public sealed record GetAccountAuthorizationDetailsRequest(IReadOnlyList<string> Filter)
{
    public int? PageSize { get; init; }
}

public sealed record ListUsersRequest
{
    public string? PathPrefix { get; init; }

    public int? PageSize { get; init; }
}

public sealed record IamUser(string UserName, string UserId, string Arn, string Path, DateTimeOffset? CreateDate)
{
    internal static IamUser Read(XElement user) => new(
        user.RequiredText("UserName"),
        user.Text("UserId") ?? string.Empty,
        user.RequiredText("Arn"),
        user.Text("Path") ?? "/",
        user.Date("CreateDate"));
}

/// <summary>What GetAccountAuthorizationDetails answered, all pages together.</summary>
public sealed record AuthorizationDetails(
    IReadOnlyList<RoleDetail> Roles,
    IReadOnlyList<UserDetail> Users,
    IReadOnlyList<GroupDetail> Groups,
    IReadOnlyList<ManagedPolicyDetail> Policies);

/// <summary>An inline policy as the listing holds it: name and URL-decoded document.</summary>
public sealed record InlinePolicyDocument(string PolicyName, string? PolicyDocument)
{
    internal static IReadOnlyList<InlinePolicyDocument> ReadAll(XElement parent, string listName) =>
        parent.Members(listName).Select(p => new InlinePolicyDocument(p.RequiredText("PolicyName"), p.PolicyDocument("PolicyDocument"))).ToArray();
}

public sealed record RoleDetail(
    string RoleName, string Arn, IReadOnlyList<AttachedPolicy> AttachedManagedPolicies, IReadOnlyList<InlinePolicyDocument> InlinePolicies, IReadOnlyList<IamTag> Tags)
{
    internal static RoleDetail Read(XElement role) => new(
        role.RequiredText("RoleName"), role.RequiredText("Arn"), Attached(role), InlinePolicyDocument.ReadAll(role, "RolePolicyList"), IamTag.ReadAll(role));

    internal static IReadOnlyList<AttachedPolicy> Attached(XElement entity) =>
        entity.Members("AttachedManagedPolicies").Select(p => new AttachedPolicy(p.RequiredText("PolicyName"), p.RequiredText("PolicyArn"))).ToArray();
}

public sealed record UserDetail(
    string UserName, string Arn, IReadOnlyList<AttachedPolicy> AttachedManagedPolicies, IReadOnlyList<InlinePolicyDocument> InlinePolicies,
    IReadOnlyList<string> Groups, IReadOnlyList<IamTag> Tags)
{
    internal static UserDetail Read(XElement user) => new(
        user.RequiredText("UserName"), user.RequiredText("Arn"), RoleDetail.Attached(user), InlinePolicyDocument.ReadAll(user, "UserPolicyList"),
        user.Strings("GroupList"), IamTag.ReadAll(user));
}

public sealed record GroupDetail(string GroupName, string Arn, IReadOnlyList<AttachedPolicy> AttachedManagedPolicies, IReadOnlyList<InlinePolicyDocument> InlinePolicies)
{
    internal static GroupDetail Read(XElement group) => new(
        group.RequiredText("GroupName"), group.RequiredText("Arn"), RoleDetail.Attached(group), InlinePolicyDocument.ReadAll(group, "GroupPolicyList"));
}

/// <summary>A managed policy of the listing with its default version's document (URL-decoded; null when the listing holds none).</summary>
public sealed record ManagedPolicyDetail(string Arn, string PolicyName, string DefaultVersionId, string? DefaultDocument)
{
    internal static ManagedPolicyDetail Read(XElement policy)
    {
        var arn = policy.RequiredText("Arn");
        var defaultVersion = policy.Text("DefaultVersionId") ?? string.Empty;
        var versions = policy.Members("PolicyVersionList").ToArray();
        var document = versions.FirstOrDefault(v => v.Bool("IsDefaultVersion") == true) ?? versions.FirstOrDefault(v => v.Text("VersionId") == defaultVersion);
        return new ManagedPolicyDetail(
            arn,
            // The name is in every real answer; moto leaves it out, and the ARN ends with it.
            policy.Text("PolicyName") ?? arn[(arn.LastIndexOf('/') + 1)..],
            defaultVersion,
            document?.PolicyDocument("Document"));
    }
}
