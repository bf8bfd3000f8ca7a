using System.Globalization;
using System.Text.RegularExpressions;

namespace DuoQServerless.Core.Validation.Checks;

/// <summary>Check 8: GitLab is 17.11 or later (GET /api/v4/version).</summary>
internal static partial class GitLabVersionCheck
{
    private static CheckDefinition Check => DuoQChecks.GitLabVersion;

    [GeneratedRegex(@"^\s*(\d+)\.(\d+)")]
    private static partial Regex MajorMinor();

    public static CheckResult Run(SetupContext context)
    {
        switch (context.Facts.GitLab.Version)
        {
            case Observation<string>.NotAsked notAsked:
                return Check.Skipped(notAsked.Why);
            case Observation<string>.Absent absent:
                return Check.Fail([$"GitLab did not report a version: {absent.What}"], Fixes.GitLabAccess());
            case Observation<string>.Unavailable unavailable:
                return Check.Fail([$"could not read the version: {unavailable.Error}"], Fixes.GitLabAccess());
            case Observation<string>.Seen { Value: var version }:
                var match = MajorMinor().Match(version);
                if (!match.Success)
                    return Check.Fail([$"GitLab reported the version \"{version}\", which is not MAJOR.MINOR"], Fixes.Upgrade(version));
                var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                var minor = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                var supported = major > DuoQGuide.MinimumMajor || (major == DuoQGuide.MinimumMajor && minor >= DuoQGuide.MinimumMinor);
                return supported
                    ? Check.Pass($"GitLab {version}")
                    : Check.Fail([$"GitLab {version} is older than {DuoQGuide.MinimumMajor}.{DuoQGuide.MinimumMinor}"], Fixes.Upgrade(version));
            default:
                throw new System.Diagnostics.UnreachableException();
        }
    }
}
