using System.Xml.Linq;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Iam;

public sealed record IamTag(string Key, string Value)
{
    internal static IReadOnlyList<IamTag> ReadAll(XElement parent) =>
        parent.Members("Tags").Select(t => new IamTag(t.RequiredText("Key"), t.Text("Value") ?? string.Empty)).ToArray();
}

/// <summary>An IAM role. <see cref="AssumeRolePolicyDocument"/> is the trust policy as JSON, already URL-decoded.</summary>
public sealed record IamRole(
    string RoleName,
    string RoleId,
    string Arn,
    string Path,
    DateTimeOffset CreateDate,
    string? AssumeRolePolicyDocument,
    string? Description,
    int? MaxSessionDuration,
    string? PermissionsBoundaryArn,
    IReadOnlyList<IamTag> Tags)
{
    internal static IamRole Read(XElement role) => new(
        role.RequiredText("RoleName"),
        role.RequiredText("RoleId"),
        role.RequiredText("Arn"),
        role.Text("Path") ?? "/",
        role.Date("CreateDate") ?? default,
        role.PolicyDocument("AssumeRolePolicyDocument"),
        role.Text("Description"),
        role.Int("MaxSessionDuration"),
        role.Child("PermissionsBoundary")?.Text("PermissionsBoundaryArn"),
        IamTag.ReadAll(role));
}

/// <summary>An inline policy of a role, its document URL-decoded.</summary>
public sealed record RoleInlinePolicy(string RoleName, string PolicyName, string PolicyDocument);

/// <summary>A managed policy attached to a role, user or group.</summary>
public sealed record AttachedPolicy(string PolicyName, string PolicyArn);

public enum AccessKeyStatus
{
    Active,
    Inactive,
}

public sealed record AccessKeyMetadata(string UserName, string AccessKeyId, AccessKeyStatus Status, DateTimeOffset? CreateDate)
{
    internal static AccessKeyMetadata Read(XElement key) => new(
        key.Text("UserName") ?? string.Empty,
        key.RequiredText("AccessKeyId"),
        ParseStatus(key.RequiredText("Status")),
        key.Date("CreateDate"));

    internal static AccessKeyStatus ParseStatus(string text) => text switch
    {
        "Active" => AccessKeyStatus.Active,
        "Inactive" => AccessKeyStatus.Inactive,
        _ => throw new FormatException($"unknown access key status '{text}'"),
    };

    internal static string Format(AccessKeyStatus status) => status switch
    {
        AccessKeyStatus.Active => "Active",
        AccessKeyStatus.Inactive => "Inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Active or Inactive"),
    };
}

/// <summary>A managed policy (customer or AWS managed); its document is read with GetPolicyVersion.</summary>
public sealed record ManagedPolicy(
    string PolicyName,
    string PolicyId,
    string Arn,
    string Path,
    string DefaultVersionId,
    int AttachmentCount,
    bool IsAttachable,
    string? Description,
    DateTimeOffset? CreateDate,
    DateTimeOffset? UpdateDate)
{
    internal static ManagedPolicy Read(XElement policy) => new(
        policy.RequiredText("PolicyName"),
        policy.Text("PolicyId") ?? string.Empty,
        policy.RequiredText("Arn"),
        policy.Text("Path") ?? "/",
        policy.Text("DefaultVersionId") ?? string.Empty,
        policy.Int("AttachmentCount") ?? 0,
        policy.Bool("IsAttachable") ?? true,
        policy.Text("Description"),
        policy.Date("CreateDate"),
        policy.Date("UpdateDate"));
}

/// <summary>One version of a managed policy; <see cref="Document"/> is the JSON, URL-decoded.</summary>
public sealed record PolicyVersion(string VersionId, bool IsDefaultVersion, string Document, DateTimeOffset? CreateDate);

public sealed record OpenIdConnectProvider(
    string Arn,
    string Url,
    IReadOnlyList<string> ClientIds,
    IReadOnlyList<string> Thumbprints,
    DateTimeOffset? CreateDate,
    IReadOnlyList<IamTag> Tags);
