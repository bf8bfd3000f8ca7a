using System.Globalization;
using System.Xml.Linq;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Iam;

/// <summary>An inline policy of a user or group, its document URL-decoded.</summary>
/// <param name="OwnerName">The user or group that holds it.</param>
public sealed record InlinePolicy(string OwnerName, string PolicyName, string PolicyDocument)
{
    internal static InlinePolicy Read(XElement result, string ownerName, string policyName) => new(
        ownerName,
        result.Text("PolicyName") ?? policyName,
        result.PolicyDocument("PolicyDocument") ?? throw new FormatException("the answer holds no PolicyDocument"));
}

/// <summary>A user's console password settings (the password itself is never returned).</summary>
public sealed record LoginProfile(string UserName, DateTimeOffset? CreateDate, bool PasswordResetRequired)
{
    internal static LoginProfile Read(XElement profile) => new(
        profile.RequiredText("UserName"),
        profile.Date("CreateDate"),
        profile.Bool("PasswordResetRequired") ?? false);
}

/// <summary>One version of a managed policy as ListPolicyVersions returns it: no document.</summary>
public sealed record PolicyVersionSummary(string VersionId, bool IsDefaultVersion, DateTimeOffset? CreateDate)
{
    internal static PolicyVersionSummary Read(XElement version) => new(
        version.RequiredText("VersionId"),
        version.Bool("IsDefaultVersion") ?? false,
        version.Date("CreateDate"));

    /// <summary>N of a version id "vN"; IAM numbers versions in the order they were created.</summary>
    public int? Number => NumberOf(VersionId);

    /// <summary>N of "vN"; null for anything else.</summary>
    public static int? NumberOf(string versionId) =>
        versionId.StartsWith('v') && int.TryParse(versionId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
