using System.Text.Json;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Guards.Iam;

/// <summary>The role, user or group an IAM call names in its requestParameters.</summary>
internal sealed record IamPrincipal(PrincipalKind Kind, string Name)
{
    public static IamPrincipal? Read(JsonElement request) =>
        request.Str("roleName") is { } role ? new(PrincipalKind.Role, role)
        : request.Str("userName") is { } user ? new(PrincipalKind.User, user)
        : request.Str("groupName") is { } group ? new(PrincipalKind.Group, group)
        : null;

    public string Noun => Kind switch
    {
        PrincipalKind.Role => "role",
        PrincipalKind.User => "user",
        PrincipalKind.Group => "group",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public bool IsProtectedRole(string protectedRole) =>
        Kind == PrincipalKind.Role && string.Equals(Name, protectedRole, StringComparison.OrdinalIgnoreCase);

    public string Describe(string protectedRole) =>
        IsProtectedRole(protectedRole) ? $"the protected Amazon Q role {Name}" : $"{Noun} {Name}";

    public AffectedResource Resource() => AffectedResource.Of(Kind switch
    {
        PrincipalKind.Role => "AWS::IAM::Role",
        PrincipalKind.User => "AWS::IAM::User",
        PrincipalKind.Group => "AWS::IAM::Group",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    }, Name);
}
