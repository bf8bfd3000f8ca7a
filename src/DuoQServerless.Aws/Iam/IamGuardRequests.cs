namespace DuoQServerless.Aws.Iam;

// The IAM guard's operations (IamGuardOperations.cs): one record per operation, as in IamRequests.cs.

public sealed record ListAttachedUserPoliciesRequest(string UserName)
{
    public int? PageSize { get; init; }
}

public sealed record ListAttachedGroupPoliciesRequest(string GroupName)
{
    public int? PageSize { get; init; }
}

public sealed record GetUserPolicyRequest(string UserName, string PolicyName);

public sealed record GetGroupPolicyRequest(string GroupName, string PolicyName);

public sealed record DeleteGroupPolicyRequest(string GroupName, string PolicyName);

public sealed record GetLoginProfileRequest(string UserName);

public sealed record DeleteLoginProfileRequest(string UserName);

public sealed record ListPolicyVersionsRequest(string PolicyArn)
{
    public int? PageSize { get; init; }
}

public sealed record SetDefaultPolicyVersionRequest(string PolicyArn, string VersionId);

/// <param name="MaxSessionDuration">Seconds, 3600 to 43200; left unchanged when null.</param>
/// <param name="Description">Sent when not null. Pass the role's current description to keep it:
/// moto clears a description the call leaves out.</param>
public sealed record UpdateRoleRequest(string RoleName, int? MaxSessionDuration, string? Description = null);

public sealed record ListRoleTagsRequest(string RoleName)
{
    public int? PageSize { get; init; }
}

public sealed record ListUserTagsRequest(string UserName)
{
    public int? PageSize { get; init; }
}

public sealed record TagRoleRequest(string RoleName, IReadOnlyList<IamTag> Tags);

public sealed record TagUserRequest(string UserName, IReadOnlyList<IamTag> Tags);
