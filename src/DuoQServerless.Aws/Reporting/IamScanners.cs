using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Iam;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// Roles and users holding an admin-like policy, judged as the IAM guard judges an attachment: a
/// managed policy the iam-change block lists by name (AWS or customer managed), a customer managed
/// policy whose default version is admin-like, or an admin-like inline policy. A user holds what
/// its groups hold ("through group ..."); a group without members is not listed, since no one acts
/// through it. Principals tagged exempt or approved are listed apart. One paginated listing
/// (GetAccountAuthorizationDetails) answers it all.
/// </summary>
public sealed class AdminPrincipalScanner(
    IamClient iam,
    IamChangeSettings settings,
    AcceptancePolicy? acceptance = null,
    int? pageSize = null) : IAccountScanner
{
    /// <summary>Customer managed policies are listed with their documents; AWS managed ones are judged by name, as the guard does.</summary>
    public static readonly IReadOnlyList<string> ListingFilter = ["Role", "User", "Group", "LocalManagedPolicy"];

    private readonly AcceptancePolicy _acceptance = acceptance ?? AcceptancePolicy.Default;

    public string Name => "IAM principals";

    public ScanReach Reach => ScanReach.Global;

    public async Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken)
    {
        var details = await IamScan.Guard(() => iam.GetAccountAuthorizationDetailsAsync(new GetAccountAuthorizationDetailsRequest(ListingFilter) { PageSize = pageSize }, cancellationToken));
        var documents = details.Policies.ToDictionary(p => p.Arn, p => p.DefaultDocument, StringComparer.Ordinal);
        var byGroup = details.Groups.ToDictionary(
            g => g.GroupName, g => Grants(g.AttachedManagedPolicies, g.InlinePolicies, documents).ToArray(), StringComparer.Ordinal);

        var exposed = new List<AdminPrincipal>();
        var accepted = new List<AcceptedResource>();
        void Add(string arn, string name, PrincipalKind kind, IReadOnlyList<IamTag> tags, IEnumerable<Grant> grants)
        {
            var accept = _acceptance.Accept(IamScan.Tags(tags));
            foreach (var grant in grants)
            {
                if (accept is not null)
                    accepted.Add(accept.For(ExposureKind.AdminPrincipal, arn, name, AccountScan.GlobalRegion, $"holds {grant.Policy} ({grant.How})"));
                else
                    exposed.Add(new AdminPrincipal(arn, name, kind, grant.Policy, grant.How));
            }
        }

        foreach (var role in details.Roles)
            Add(role.Arn, role.RoleName, PrincipalKind.Role, role.Tags, Grants(role.AttachedManagedPolicies, role.InlinePolicies, documents));
        foreach (var user in details.Users)
        {
            var throughGroups = user.Groups.SelectMany(group => byGroup.GetValueOrDefault(group, [])
                .Select(grant => grant with { How = $"through group {group}: {grant.How}" }));
            Add(user.Arn, user.UserName, PrincipalKind.User, user.Tags,
                Grants(user.AttachedManagedPolicies, user.InlinePolicies, documents).Concat(throughGroups));
        }
        return new ScanFindings { Exposed = new ExposedNow { AdminPrincipals = exposed }, Accepted = accepted };
    }

    private sealed record Grant(string Policy, string How);

    private IEnumerable<Grant> Grants(
        IReadOnlyList<AttachedPolicy> attached, IReadOnlyList<InlinePolicyDocument> inline, IReadOnlyDictionary<string, string?> documents)
    {
        foreach (var policy in attached)
        {
            if (IamGrants.IsListedAdmin(policy.PolicyArn, settings))
                yield return new Grant(policy.PolicyName, "attached managed policy");
            else if (!IamGrants.IsAwsManaged(policy.PolicyArn)
                     && documents.GetValueOrDefault(policy.PolicyArn) is { } document
                     && PolicyDocumentAnalysis.Of(document) is { AdminLike: true } analysis)
                yield return new Grant(policy.PolicyName, $"attached managed policy that {analysis.Reasons[0]}");
        }
        foreach (var policy in inline)
            if (PolicyDocumentAnalysis.Of(policy.PolicyDocument) is { AdminLike: true } analysis)
                yield return new Grant(policy.PolicyName, $"inline policy that {analysis.Reasons[0]}");
    }
}

/// <summary>
/// Users' access keys older than the iam-change block's <c>accessKeyMaxAgeDays</c>, active or
/// not. Keys of a user tagged exempt or approved are listed apart. <paramref name="now"/> is the
/// run's clock reading.
/// </summary>
public sealed class AccessKeyScanner(
    IamClient iam,
    int maxAgeDays,
    DateTimeOffset now,
    AcceptancePolicy? acceptance = null,
    int? pageSize = null) : IAccountScanner
{
    private readonly AcceptancePolicy _acceptance = acceptance ?? AcceptancePolicy.Default;

    public string Name => "access keys";

    public ScanReach Reach => ScanReach.Global;

    public Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken) =>
        IamScan.Guard(() => ScanUsersAsync(cancellationToken));

    private async Task<ScanFindings> ScanUsersAsync(CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromDays(maxAgeDays);
        var exposed = new List<OldAccessKey>();
        var accepted = new List<AcceptedResource>();
        await foreach (var user in iam.ListUsersAsync(new ListUsersRequest { PageSize = pageSize }, cancellationToken))
        {
            var old = new List<OldAccessKey>();
            await foreach (var key in iam.ListAccessKeysAsync(new ListAccessKeysRequest(user.UserName) { PageSize = pageSize }, cancellationToken))
                if (key.CreateDate is { } created && now - created > limit)
                    old.Add(new OldAccessKey(user.UserName, key.AccessKeyId, created, (int)(now - created).TotalDays, key.Status == AccessKeyStatus.Active));
            if (old.Count == 0) continue;

            // Tags are read only for users with an old key: most users need no extra call.
            var tags = new List<IamTag>();
            await foreach (var tag in iam.ListUserTagsAsync(new ListUserTagsRequest(user.UserName), cancellationToken)) tags.Add(tag);
            if (_acceptance.Accept(IamScan.Tags(tags)) is { } accept)
                accepted.AddRange(old.Select(k => accept.For(ExposureKind.OldAccessKey, k.AccessKeyId, k.UserName, AccountScan.GlobalRegion,
                    $"{k.AgeDays} days old, {(k.Active ? "active" : "inactive")}")));
            else
                exposed.AddRange(old);
        }
        return new ScanFindings { Exposed = new ExposedNow { OldAccessKeys = exposed }, Accepted = accepted };
    }
}

internal static class IamScan
{
    /// <summary>Our IAM client's errors become the report's gap: the action, its code and AWS's message.</summary>
    public static async Task<T> Guard<T>(Func<Task<T>> scan)
    {
        try
        {
            return await scan();
        }
        // Access denied, throttling past retries: this scan is a gap, the rest of the report stands.
        catch (AwsApiException e)
        {
            throw new ScanFailedException($"{e.Action} failed with {e.ErrorCode}: {e.ErrorMessage}", e);
        }
        // An answer our client could not read is a gap too, named as such.
        catch (FormatException e)
        {
            throw new ScanFailedException($"IAM answered something unreadable: {e.Message}", e);
        }
    }

    public static IReadOnlyDictionary<string, string> Tags(IEnumerable<IamTag> tags)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags) byKey[tag.Key] = tag.Value;
        return byKey;
    }
}
