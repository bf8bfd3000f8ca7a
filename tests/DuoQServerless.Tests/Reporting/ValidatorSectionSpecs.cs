using DuoQServerless.Core.Reporting;
using DuoQServerless.Core.Validation;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>The validator's result as the report lists it.</summary>
public sealed class ValidatorSectionSpecs
{
    private static readonly ValidatorSection Section = ValidatorSection.From(ReportSamples.Validation());

    [Fact]
    public void Checks_are_listed_in_the_validators_order_with_what_was_seen_and_the_fix()
    {
        Assert.Equal(
            [
                ("trust-policy", CheckStatus.Pass, (string?)null, (string?)null),
                ("permissions", CheckStatus.Fail, "no boundary on QDeveloperAccess; AdministratorAccess attached", "Attach the duoq-boundary policy as the role's permissions boundary."),
                ("kms-key", CheckStatus.Warn, "rotation is off", "aws kms enable-key-rotation --key-id ..."),
            ],
            Section.Checks.Select(c => (c.Id, c.Status, c.Detail, c.Fix)));
        Assert.Equal(ReportSamples.Noon.AddMinutes(-2), Section.CheckedAt);
    }

    [Fact]
    public void Only_failed_checks_count_as_failing()
    {
        Assert.Equal(1, Section.Failing);
        Assert.Equal(1, ComplianceReportBuilder.Build(ReportSamples.Inputs() with { Validator = Section }).Summary.ValidatorFailing);
    }
}
