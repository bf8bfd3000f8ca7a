namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 9: saving the role ARN in GitLab created the "Amazon Q OAuth" application and the active
/// amazon-q service account.
/// </summary>
internal static class GitLabAmazonQCheck
{
    private static CheckDefinition Check => DuoQChecks.GitLabAmazonQ;

    public static CheckResult Run(SetupContext context)
    {
        var gitLab = context.Facts.GitLab;
        if (gitLab.Applications is Observation<IReadOnlyList<GitLabApplication>>.NotAsked appsNotAsked
            && gitLab.AmazonQUser is Observation<GitLabUser>.NotAsked)
            return Check.Skipped(appsNotAsked.Why);

        var evidence = new List<string>();
        var failures = new List<string>();
        var accessProblem = false;

        switch (gitLab.Applications)
        {
            case Observation<IReadOnlyList<GitLabApplication>>.Seen { Value: var apps }:
                var app = apps.FirstOrDefault(a => a.Name == DuoQGuide.OAuthApplicationName);
                if (app is null)
                    failures.Add($"no OAuth application named \"{DuoQGuide.OAuthApplicationName}\" among {apps.Count} instance applications [{string.Join(", ", apps.Select(a => a.Name))}]");
                else
                    evidence.Add($"OAuth application \"{app.Name}\" (id {app.Id}{(app.CallbackUrl is null ? "" : $", callback {app.CallbackUrl}")})");
                break;
            case Observation<IReadOnlyList<GitLabApplication>>.Absent absent:
                failures.Add($"no OAuth application named \"{DuoQGuide.OAuthApplicationName}\": {absent.What}");
                break;
            case Observation<IReadOnlyList<GitLabApplication>>.Unavailable unavailable:
                failures.Add($"could not list the OAuth applications: {unavailable.Error}");
                accessProblem = true;
                break;
            case Observation<IReadOnlyList<GitLabApplication>>.NotAsked notAsked:
                evidence.Add($"OAuth applications not read: {notAsked.Why}");
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        switch (gitLab.AmazonQUser)
        {
            case Observation<GitLabUser>.Seen { Value: var user }:
                if (user.State == "active") evidence.Add($"service account {user.Username} (\"{user.Name}\", id {user.Id}) is active");
                else failures.Add($"service account {user.Username} (\"{user.Name}\") is {user.State}, not active");
                break;
            case Observation<GitLabUser>.Absent absent:
                failures.Add($"no user named {DuoQGuide.ServiceAccountUsername}: {absent.What}");
                break;
            case Observation<GitLabUser>.Unavailable unavailable:
                failures.Add($"could not look up the {DuoQGuide.ServiceAccountUsername} user: {unavailable.Error}");
                accessProblem = true;
                break;
            case Observation<GitLabUser>.NotAsked notAsked:
                evidence.Add($"{DuoQGuide.ServiceAccountUsername} user not read: {notAsked.Why}");
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        if (failures.Count == 0) return Check.Pass(evidence);
        var fix = accessProblem ? Fixes.GitLabAccess() + "\n" + Fixes.EnableAmazonQ(context.RoleArn) : Fixes.EnableAmazonQ(context.RoleArn);
        return Check.Fail([.. evidence, .. failures], fix);
    }
}
