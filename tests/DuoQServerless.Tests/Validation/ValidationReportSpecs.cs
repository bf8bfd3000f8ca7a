using System.Text.Json;
using DuoQServerless.Core.Validation;
using static DuoQServerless.Tests.Validation.CorrectSetup;

namespace DuoQServerless.Tests.Validation;

/// <summary>The stored and printed shape of a validation result.</summary>
public sealed class ValidationReportSpecs
{
    [Fact]
    public void The_JSON_has_a_stable_shape_with_lowercase_statuses()
    {
        var json = Validate(Facts() with { Role = Observe.Seen(Role(maxSession: 3600)) }).ToJson();

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["schemaVersion", "checkedAt", "overall", "subject", "checks"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("fail", root.GetProperty("overall").GetString());
        var check = root.GetProperty("checks")[2];
        Assert.Equal(["number", "id", "title", "status", "evidence", "fix", "guide"], check.EnumerateObject().Select(p => p.Name));
        Assert.Equal("session-duration", check.GetProperty("id").GetString());
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Equal("https://docs.gitlab.com/user/duo_amazon_q/setup/#edit-the-role", check.GetProperty("guide").GetString());
        Assert.Contains("GitLab's AI gateway", json);
    }

    [Fact]
    public void A_stored_report_reads_back_equal()
    {
        var report = Validate(Facts() with { KmsKey = Observe.Seen(Key(enabled: false, state: "Disabled")) });

        var read = ValidationReport.FromJson(report.ToJson());

        Assert.Equal(report.Overall, read.Overall);
        Assert.Equal(report.Subject, read.Subject);
        Assert.Equal(report.CheckedAt, read.CheckedAt);
        Assert.Equal(report.Checks.Select(c => (c.Id, c.Status, string.Join("|", c.Evidence), c.Fix)),
            read.Checks.Select(c => (c.Id, c.Status, string.Join("|", c.Evidence), c.Fix)));
    }

    [Theory]
    [InlineData(new[] { CheckStatus.Pass, CheckStatus.Skipped }, CheckStatus.Pass)]
    [InlineData(new[] { CheckStatus.Pass, CheckStatus.Warn, CheckStatus.Skipped }, CheckStatus.Warn)]
    [InlineData(new[] { CheckStatus.Warn, CheckStatus.Fail }, CheckStatus.Fail)]
    [InlineData(new[] { CheckStatus.Skipped }, CheckStatus.Skipped)]
    public void The_overall_result_is_the_worst_check(CheckStatus[] statuses, CheckStatus overall)
    {
        var checks = statuses.Select((s, i) => new CheckResult(i + 1, $"c{i}", "t", s, [], null, DuoQGuide.Url));

        Assert.Equal(overall, ValidationReport.Worst(checks));
    }

    [Fact]
    public void Missing_inputs_skip_their_checks_and_say_which_argument_runs_them()
    {
        var facts = new DuoQSetupFacts { AccountId = Account, Region = Region };

        var report = Validate(facts);

        Assert.All(report.Checks, c => Assert.Equal(CheckStatus.Skipped, c.Status));
        Assert.Equal(CheckStatus.Skipped, report.Overall);
        var key = report.Checks.Single(c => c.Id == DuoQChecks.KmsKey.Id);
        Assert.Contains("--kms-key", key.Evidence[0]);
        Assert.Contains("--security-group", report.Checks.Single(c => c.Id == DuoQChecks.Network.Id).Evidence[0]);
    }
}
