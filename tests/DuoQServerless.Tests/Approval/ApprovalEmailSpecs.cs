using DuoQServerless.Core.Approval;
using static DuoQServerless.Tests.Approval.ApprovalSamples;

namespace DuoQServerless.Tests.Approval;

public sealed class ApprovalEmailSpecs
{
    private static readonly Uri Approve = new("https://api.example/approvals/Zx8kQ2mN4pR6tV8wY0aB1c?d=approve&exp=1795000000&sig=s1");
    private static readonly Uri Reject = new("https://api.example/approvals/Zx8kQ2mN4pR6tV8wY0aB1c?d=reject&exp=1795000000&sig=s2");

    [Fact]
    public void The_email_says_what_happened_who_did_it_from_where_and_gives_both_links()
    {
        var email = ApprovalEmail.Compose(Record(), Approve, Reject, Noon);

        Assert.Contains("port 22 opened to 0.0.0.0/0 on sg-0abc1234", email.Body);
        Assert.Contains("arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/agent-session", email.Body);
        Assert.Contains("198.51.100.7", email.Body);
        Assert.Contains("aws-cli/2.15 md/q-developer", email.Body);
        Assert.Contains("$0.384 per hour", email.Body);
        Assert.Contains(Approve.AbsoluteUri, email.Body);
        Assert.Contains(Reject.AbsoluteUri, email.Body);
        Assert.DoesNotContain("token/with+plus", email.Body);
    }

    [Theory]
    [InlineData(TimeoutMeans.Revert, "REVERTED")]
    [InlineData(TimeoutMeans.Approve, "KEPT (approved automatically)")]
    public void The_email_says_what_happens_on_timeout_and_when(TimeoutMeans means, string action)
    {
        var email = ApprovalEmail.Compose(Record(timeoutMeans: means), Approve, Reject, Noon);

        Assert.Contains($"If no one decides by 2026-11-25 12:00:00 UTC (in 24 hours), the change will be {action}", email.Body);
    }

    [Fact]
    public void The_subject_names_the_risk_and_resource_and_stays_under_100_ascii_characters()
    {
        var shortOne = ApprovalEmail.Compose(Record(), Approve, Reject, Noon);
        var longOne = ApprovalEmail.Compose(Record(Summary(resource: "arn:aws:rds:us-east-1:123456789012:db:" + new string('x', 200) + "é")), Approve, Reject, Noon);

        Assert.Equal("DuoQ approval needed: public-ssh on sg-0abc1234", shortOne.Subject);
        Assert.True(longOne.Subject.Length < 100, $"{longOne.Subject.Length} characters");
        Assert.All(longOne.Subject, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void A_user_agent_with_line_breaks_cannot_add_lines_to_the_email()
    {
        var sneaky = "aws-cli/2\n\nApprove here instead: https://evil.example/approve";

        var email = ApprovalEmail.Compose(Record(Summary(userAgent: sneaky)), Approve, Reject, Noon);

        var line = Assert.Single(email.Body.Split('\n'), l => l.Contains("evil.example"));
        Assert.StartsWith("User agent:", line);
    }
}
