namespace DuoQServerless.Aws.Iam;

// One record per IAM operation: what the caller asks for, and what the call observer sees
// (the resource a least-privilege check scopes the action to).

public sealed record GetRoleRequest(string RoleName);

public sealed record UpdateAssumeRolePolicyRequest(string RoleName, string PolicyDocument);

public sealed record GetRolePolicyRequest(string RoleName, string PolicyName);

public sealed record PutRolePolicyRequest(string RoleName, string PolicyName, string PolicyDocument);

public sealed record DeleteRolePolicyRequest(string RoleName, string PolicyName);

public sealed record ListRolePoliciesRequest(string RoleName)
{
    /// <summary>Items per page (IAM's MaxItems, 1 to 1000); the service default when null.</summary>
    public int? PageSize { get; init; }
}

public sealed record ListAttachedRolePoliciesRequest(string RoleName)
{
    public string? PathPrefix { get; init; }

    public int? PageSize { get; init; }
}

public sealed record AttachRolePolicyRequest(string RoleName, string PolicyArn);

public sealed record DetachRolePolicyRequest(string RoleName, string PolicyArn);

public sealed record DetachUserPolicyRequest(string UserName, string PolicyArn);

public sealed record DetachGroupPolicyRequest(string GroupName, string PolicyArn);

public sealed record DeleteUserPolicyRequest(string UserName, string PolicyName);

/// <param name="UserName">Whose keys; null means the user who signs the request.</param>
public sealed record ListAccessKeysRequest(string? UserName)
{
    public int? PageSize { get; init; }
}

/// <param name="UserName">Whose key; null means the user who signs the request.</param>
public sealed record UpdateAccessKeyRequest(string AccessKeyId, AccessKeyStatus Status, string? UserName);

public sealed record GetPolicyRequest(string PolicyArn);

public sealed record GetPolicyVersionRequest(string PolicyArn, string VersionId);

public sealed record ListOpenIdConnectProvidersRequest;

public sealed record GetOpenIdConnectProviderRequest(string OpenIdConnectProviderArn);

public sealed record ListRolesRequest
{
    public string? PathPrefix { get; init; }

    public int? PageSize { get; init; }
}
