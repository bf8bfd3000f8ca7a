using System.Text.RegularExpressions;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>
/// What to validate: the role, the instance UUID the administrator copied from GitLab, and the
/// optional parts (customer managed key, the GitLab instance's security groups, the GitLab URL
/// and the SSM SecureString parameter holding an admin token). Built through <see cref="Create"/>,
/// which refuses malformed values so the CLI can answer exit code 2 and the function fail at init.
/// </summary>
public sealed partial record ValidationTarget
{
    private ValidationTarget(string roleName, string? instanceId, string? kmsKeyId, IReadOnlyList<string> securityGroupIds, Uri? gitLabUrl, string? gitLabTokenParameter)
    {
        RoleName = roleName;
        InstanceId = instanceId;
        KmsKeyId = kmsKeyId;
        SecurityGroupIds = securityGroupIds;
        GitLabUrl = gitLabUrl;
        GitLabTokenParameter = gitLabTokenParameter;
    }

    public string RoleName { get; }

    /// <summary>The GitLab instance UUID (lower case), or null to infer it from the account's only GitLab provider.</summary>
    public string? InstanceId { get; }

    /// <summary>A key id, key ARN, alias name or alias ARN; null when no customer managed key is used.</summary>
    public string? KmsKeyId { get; }

    public IReadOnlyList<string> SecurityGroupIds { get; }

    public Uri? GitLabUrl { get; }

    /// <summary>The name of the SSM SecureString parameter holding a GitLab administrator's token.</summary>
    public string? GitLabTokenParameter { get; }

    /// <summary>The port Amazon Q reaches GitLab on: the GitLab URL's, 443 by default.</summary>
    public int HttpsPort => GitLabUrl is { Scheme: "https" } url ? url.Port : 443;

    /// <summary>IAM's role name rule: 1 to 64 of letters, digits and +=,.@_-.</summary>
    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^sg-[0-9a-f]{1,17}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecurityGroupPattern();

    /// <summary>SSM parameter names: letters, digits and .-_/ , at most 2048 characters.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_.\-/]{1,2048}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterNamePattern();

    /// <summary>Checks every value and answers the target, or every problem found (each naming its option).</summary>
    public static TargetOutcome Create(
        string? roleName,
        string? instanceId,
        string? kmsKeyId,
        IEnumerable<string>? securityGroupIds,
        string? gitLabUrl,
        string? gitLabTokenParameter)
    {
        var errors = new List<string>();
        var role = string.IsNullOrWhiteSpace(roleName) ? DuoQSetupFacts.DefaultRoleName : roleName.Trim();
        if (!RoleNamePattern().IsMatch(role)) errors.Add($"role: \"{role}\" is not an IAM role name (1 to 64 of letters, digits and +=,.@_-)");

        string? instance = null;
        if (!string.IsNullOrWhiteSpace(instanceId))
        {
            if (Guid.TryParseExact(instanceId.Trim(), "D", out var uuid)) instance = uuid.ToString("D");
            else errors.Add($"instance-id: \"{instanceId.Trim()}\" is not a UUID (like 1f0e5c6a-2b3d-4e5f-8a9b-0c1d2e3f4a5b); copy it from the provider URL in GitLab's Amazon Q settings");
        }

        var key = string.IsNullOrWhiteSpace(kmsKeyId) ? null : kmsKeyId.Trim();

        var groups = (securityGroupIds ?? [])
            .SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        foreach (var group in groups.Where(g => !SecurityGroupPattern().IsMatch(g)))
            errors.Add($"security-group: \"{group}\" is not a security group id (sg- and up to 17 hex digits)");

        Uri? url = null;
        if (!string.IsNullOrWhiteSpace(gitLabUrl))
        {
            if (Uri.TryCreate(gitLabUrl.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http" && parsed.Host.Length > 0)
                url = parsed;
            else errors.Add($"gitlab-url: \"{gitLabUrl.Trim()}\" is not an absolute URL of the GitLab instance (like https://gitlab.example.com)");
        }

        var parameter = string.IsNullOrWhiteSpace(gitLabTokenParameter) ? null : gitLabTokenParameter.Trim();
        if (parameter is not null && !ParameterNamePattern().IsMatch(parameter))
            errors.Add($"gitlab-token-parameter: \"{parameter}\" is not an SSM parameter name");
        if (parameter is not null && string.IsNullOrWhiteSpace(gitLabUrl))
            errors.Add("gitlab-token-parameter: given without gitlab-url; the token is only sent to the GitLab URL");

        return errors.Count > 0
            ? new TargetOutcome.Invalid(errors)
            : new TargetOutcome.Valid(new ValidationTarget(role, instance, key, groups, url, parameter));
    }
}

/// <summary>Whether the validation inputs made sense. Closed: Valid or Invalid.</summary>
public abstract record TargetOutcome
{
    private TargetOutcome()
    {
    }

    public sealed record Valid(ValidationTarget Target) : TargetOutcome;

    public sealed record Invalid(IReadOnlyList<string> Errors) : TargetOutcome;
}
