namespace DuoQServerless.Core.Validation.Checks;

/// <summary>Check 3: MaxSessionDuration is 43200 seconds; shorter sessions make AssumeRoleWithWebIdentity fail in the AI gateway.</summary>
internal static class SessionDurationCheck
{
    private static CheckDefinition Check => DuoQChecks.SessionDuration;

    public static CheckResult Run(SetupContext context)
    {
        if (RoleObservation.NotUsable(Check, context) is { } early) return early;
        var role = ((Observation<RoleFacts>.Seen)context.Facts.Role).Value;

        var seconds = role.MaxSessionDurationSeconds;
        var shown = $"{seconds} s ({TimeSpan.FromSeconds(seconds).TotalHours:0.##} h)";
        return seconds >= DuoQGuide.RequiredSessionSeconds
            ? Check.Pass($"{role.Arn}: MaxSessionDuration {shown}")
            : Check.Fail(
                [$"{role.Arn}: MaxSessionDuration is {shown}; GitLab's AI gateway asks for 12 h ({DuoQGuide.RequiredSessionSeconds} s), so AssumeRoleWithWebIdentity fails"],
                Fixes.SessionDuration(role.Name));
    }
}
