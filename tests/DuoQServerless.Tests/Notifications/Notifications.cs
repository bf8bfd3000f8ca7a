using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Policy;
using DuoQServerless.Tests.Findings;
using DuoQServerless.Tests.Guards;

namespace DuoQServerless.Tests.Notifications;

public class Notifications
{
    private static readonly RevertPlan Plan = new RevokeIngressRules(new SecurityGroupRef("sg-0abc", null), [new IngressRule("sgr-1", "tcp", 22, 22, "0.0.0.0/0", null)]);

    private static Finding FromSample(string file)
    {
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(EventsFolder.Read(file))).Record;
        return Assert.IsType<DetectionOutcome.Detected>(Detectors.Watching(record)!.Detect(record, GuardPolicy.Default)).Finding;
    }

    [Fact]
    public void A_revert_reads_at_a_glance_in_the_subject()
    {
        var finding = FindingSamples.With(Plan, actorArn: "arn:aws:iam::123456789012:user/al");
        var notification = NotificationComposer.Compose(finding, new Decision.Revert(Plan, false), new ActionResult.Done("revoked sgr-1"));
        Assert.Equal("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on sg-0abc by arn:aws:iam::123456789012:user/al", notification.Subject);
    }

    [Fact]
    public void An_approval_says_who_approved_and_that_the_change_stays()
    {
        var finding = FindingSamples.With(Plan, actorArn: "arn:aws:iam::123456789012:user/al");

        var notification = NotificationComposer.ComposeApproved(finding, "appr-1", "Alice", new ActionResult.Done("tagged sg-0abc duoq:approved=appr-1"));

        Assert.StartsWith("[DuoQ] Approved by Alice: port 22 opened to 0.0.0.0/0 on sg-0abc", notification.Subject);
        Assert.Contains("the change stays", notification.Body);
        Assert.Contains("appr-1", notification.Body);
        Assert.Equal("approved", notification.Attributes["action"]);
    }

    [Fact]
    public void The_attributes_carry_risk_severity_action_and_dry_run_for_filtering()
    {
        var notification = NotificationComposer.Compose(FindingSamples.With(Plan), new Decision.Revert(Plan, true), new ActionResult.NotTaken());
        Assert.Equal(new Dictionary<string, string> { ["risk"] = "public-ssh", ["severity"] = "high", ["action"] = "revert", ["dryRun"] = "true" },
            notification.Attributes);
        Assert.StartsWith("[DuoQ] Would revert: ", notification.Subject);
    }

    public static TheoryData<string> RiskyFindingSamples() => new(
        Directory.EnumerateFiles(EventsFolder.Path, "risky-*.json", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(EventsFolder.Path, path)));

    [Theory]
    [MemberData(nameof(RiskyFindingSamples))]
    public void Subjects_fit_the_sns_limit_of_100_printable_ascii_characters(string file)
    {
        var finding = FromSample(file);
        foreach (var (decision, result) in new (Decision, ActionResult)[]
                 {
                     (new Decision.Revert(finding.Revert, false), new ActionResult.Done("done")),
                     (new Decision.Approve(TimeSpan.FromHours(24), TimeoutOutcome.Revert, false), new ActionResult.Failed("throttled")),
                     (new Decision.Notify(true), new ActionResult.NotTaken()),
                 })
        {
            var subject = NotificationComposer.Compose(finding, decision, result).Subject;
            Assert.InRange(subject.Length, 1, Notification.MaxSubjectLength);
            Assert.All(subject, c => Assert.InRange(c, ' ', '~'));
            Assert.StartsWith("[DuoQ] ", subject);
        }
    }

    [Fact]
    public void A_long_subject_shortens_the_actor_then_cuts_or_drops_it_and_only_then_cuts_the_summary()
    {
        var medium = FindingSamples.With(Plan, summary: "port 22 opened to 0.0.0.0/0 on sg-0f3a9c2d7b1e45a01");
        var subject = NotificationComposer.Compose(medium, new Decision.Revert(Plan, false), new ActionResult.Done("x")).Subject;
        Assert.Equal("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on sg-0f3a9c2d7b1e45a01 by assumed-role/QDeveloperAc...", subject);
        Assert.Equal(100, subject.Length);

        var long_ = FindingSamples.With(Plan, summary: new string('x', 150) + " é");
        var cut = NotificationComposer.Compose(long_, new Decision.Revert(Plan, false), new ActionResult.Done("x")).Subject;
        Assert.Equal(100, cut.Length);
        Assert.EndsWith("...", cut);
    }

    [Fact]
    public void The_body_has_the_facts_the_result_and_the_finding_as_json()
    {
        var finding = FindingSamples.With(Plan);
        var body = NotificationComposer.Compose(finding, new Decision.Revert(Plan, false), new ActionResult.AlreadyDone("rule sgr-1 was already gone")).Body;
        Assert.Contains("Actor:     arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/amazon-q-developer (role arn:aws:iam::123456789012:role/QDeveloperAccess)", body);
        Assert.Contains("From:      203.0.113.41, aws-cli/2.22.35", body);
        Assert.Contains("Result:    nothing to do: rule sgr-1 was already gone", body);
        Assert.Contains("\"id\": \"e-1:public-ssh\"", body);
        var json = body[(body.IndexOf("Finding (JSON):", StringComparison.Ordinal) + "Finding (JSON):".Length)..].Trim();
        Assert.Equivalent(finding, FindingJson.Deserialize(json, out _), strict: true);
    }

    [Fact]
    public void A_stopped_instance_notification_says_how_to_start_it_again()
    {
        var finding = FromSample("instance/risky-run-m5-24xlarge.json");
        var body = NotificationComposer.Compose(finding, new Decision.Revert(finding.Revert, false), new ActionResult.Done("stopped")).Body;
        Assert.Contains("aws ec2 start-instances --region us-east-1 --instance-ids i-0c1d2e3f4a5b60002", body);
        Assert.Contains("--tags Key=duoq:exempt,Value=true", body);
        Assert.Contains("$4.608/h, $3,363.84/month", body);
    }

    [Fact]
    public void An_rds_delete_without_a_final_snapshot_says_plainly_nothing_can_be_restored()
    {
        var finding = FromSample("rds/risky-delete-instance-skip-final-snapshot.json");
        var notification = NotificationComposer.Compose(finding,
            new Decision.Approve(TimeSpan.FromHours(24), TimeoutOutcome.Revert, false), new ActionResult.Done("execution started"));
        Assert.Contains("Nothing can be restored: it was deleted without a final snapshot", notification.Body);
        Assert.Equal("[DuoQ] Approval needed: DB instance orders-dev deleted without a final snapshot", notification.Subject);
    }

    [Fact]
    public void A_refused_attempt_says_nothing_changed()
    {
        var notification = NotificationComposer.ComposeAttempt(FindingSamples.With(Plan), "Client.UnauthorizedOperation", "not authorized");
        Assert.StartsWith("[DuoQ] Attempted (Client.UnauthorizedOperation): port 22", notification.Subject);
        Assert.Contains("Nothing changed in the account", notification.Body);
        Assert.Equal("attempted", notification.Attributes["action"]);
    }
}
