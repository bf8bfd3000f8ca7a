using DuoQServerless.Core.Validation.Checks;

namespace DuoQServerless.Core.Validation;

/// <summary>
/// Checks a GitLab Duo with Amazon Q setup against GitLab's guide. Pure: the facts are gathered
/// beforehand (AWS and GitLab calls), and the clock is passed in.
/// </summary>
public static class DuoQValidator
{
    public static ValidationReport Validate(DuoQSetupFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var context = SetupContext.From(facts, now);
        CheckResult[] checks =
        [
            OidcProviderCheck.Run(context),
            TrustPolicyCheck.Run(context),
            SessionDurationCheck.Run(context),
            PermissionsCheck.Run(context),
            KmsKeyCheck.Run(context),
            NetworkCheck.Run(context),
            GitLabTlsCheck.Run(context),
            GitLabVersionCheck.Run(context),
            GitLabAmazonQCheck.Run(context),
            GitLabProbesCheck.Run(context),
            InstanceUuidCheck.Run(context),
        ];
        var subject = new ValidationSubject(
            facts.AccountId,
            facts.Region,
            facts.RoleName,
            context.Expected.Id,
            facts.GitLab.Url?.ToString());
        return new ValidationReport(ValidationReport.CurrentSchemaVersion, now, ValidationReport.Worst(checks), subject, checks);
    }
}
