using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Testing.Reporting;

/// <summary>A report with something in every section, built the way the handler builds one.</summary>
public static class ReportSamples
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    public const string Hostile = "<script>alert(\"x\")</script>, \"quoted\"\nnext line";
    public const string Agent = "arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/agent";

    public static ReportInputs Inputs() => new()
    {
        GeneratedAt = Noon,
        Period = new ReportPeriod(Noon.AddDays(-3), Noon),
        Account = "123456789012",
        Regions = ["us-east-1", "eu-west-1"],
        Scan = new ScanFindings
        {
            Exposed = new ExposedNow
            {
                OpenSecurityGroups =
                [
                    new("sg-0ssh", "bastion", "vpc-1", "us-east-1", [new RiskyIngressRule("tcp", 22, 22, "0.0.0.0/0", [22])]),
                    new("sg-0all", Hostile, "vpc-1", "eu-west-1", [new RiskyIngressRule("all", null, null, "::/0", [22, 3389])]),
                ],
                OversizedInstances =
                [
                    new("i-0big", "m5.24xlarge", "us-east-1", 4.608m, InstancePricing.Monthly(4.608m), Noon.AddHours(-5),
                        [new OversizeReason(OversizeRule.Price, "$4.608/h over $1.00/h"), new OversizeReason(OversizeRule.Vcpu, "96 vCPU over 16")]),
                ],
                UnprotectedDatabases = [new("orders-db", DbKind.Instance, "postgres", "us-east-1")],
                AdminPrincipals = [new("arn:aws:iam::123456789012:role/QDeveloperAccess", "QDeveloperAccess", PrincipalKind.Role, "AdministratorAccess", "attached managed policy")],
                OldAccessKeys = [new("ci-bot", "AKIAEXAMPLEOLD00001", Noon.AddDays(-200), 200, true)],
            },
            Accepted =
            [
                new(ExposureKind.OpenSecurityGroup, "sg-0lab", "lab", "us-east-1", AcceptanceKind.Exempt, "duoq:exempt", "true", null, "tcp 22 from 0.0.0.0/0"),
                new(ExposureKind.OversizedInstance, "i-0train", "training", "us-east-1", AcceptanceKind.Approved, "duoq:approved", "apr-7f3c", "alice@example.com", "p4d.24xlarge running at $32.7726/h"),
            ],
            Gaps = [new ScanGap("running instances", "ap-south-1", "UnauthorizedOperation: not allowed")],
        },
        Validator = ValidatorSection.From(Validation()),
        Audit =
        [
            Entry("ev-1", "public-ssh", "revert", Noon.AddDays(-2), AuditState.Done, "revoked sgr-1", "rule removed"),
            Entry("ev-2", "public-ssh", "revert", Noon.AddDays(-1), AuditState.Failed, "revoke sgr-2", "AccessDenied"),
            Entry("ev-3", "oversized-instance", "approve", Noon.AddDays(-1), AuditState.AwaitingApproval, null, null),
            Entry("ev-4", "oversized-instance", "approve", Noon.AddHours(-6), AuditState.Done, "approved", "kept running", decidedAfter: TimeSpan.FromMinutes(4)),
            Entry("ev-5", "iam-change", "approve", Noon.AddHours(-5), AuditState.Done, "rejected: policy detached", "detached AdministratorAccess", decidedAfter: TimeSpan.FromMinutes(12)),
            Entry("ev-6", "iam-change", "approve", Noon.AddHours(-4), AuditState.Done, "timed out: policy detached", "detached AdministratorAccess", decidedAfter: TimeSpan.FromHours(1)),
            Entry("ev-7", "rds-delete", "notify", Noon.AddHours(-3), AuditState.Done, "notified", "sent to duoq-alerts"),
            Entry("ev-old", "public-ssh", "revert", Noon.AddDays(-5), AuditState.Done, "revoked sgr-0", "rule removed"),
        ],
    };

    /// <summary>The validator's own result, as the report receives it.</summary>
    public static ValidationReport Validation() => new(
        ValidationReport.CurrentSchemaVersion, Noon.AddMinutes(-2), CheckStatus.Fail,
        new ValidationSubject("123456789012", "us-east-1", "QDeveloperAccess", null, null),
        [
            new(3, "kms-key", "The Q key rotates yearly", CheckStatus.Warn, ["rotation is off"], "aws kms enable-key-rotation --key-id ...", "https://docs.example/kms"),
            new(1, "trust-policy", "The Amazon Q role trusts only GitLab's OIDC provider", CheckStatus.Pass, [], null, "https://docs.example/trust"),
            new(2, "permissions", "The Amazon Q role has a permissions boundary", CheckStatus.Fail, ["no boundary on QDeveloperAccess", "AdministratorAccess attached"], "Attach the duoq-boundary policy as the role's permissions boundary.", "https://docs.example/permissions"),
        ]);

    public static ComplianceReport Full() => ComplianceReportBuilder.Build(Inputs());

    public static ComplianceReport Empty() => ComplianceReportBuilder.Build(new ReportInputs
    {
        GeneratedAt = Noon,
        Period = new ReportPeriod(Noon.AddDays(-1), Noon),
        Account = "123456789012",
        Regions = ["us-east-1"],
    });

    public static AuditEntry Entry(string eventId, string risk, string decision, DateTimeOffset at, AuditState state, string? action, string? result, TimeSpan? decidedAfter = null) => new()
    {
        Id = $"{eventId}:{risk}", Risk = risk, Severity = "high", EventId = eventId, EventName = "SomeCall", EventTime = at,
        Account = "123456789012", Region = "us-east-1", ActorArn = Agent, Resource = $"res-{eventId}",
        Summary = $"{risk} by the agent", Decision = decision, FindingJson = "{}",
        State = state, Action = action, Result = result, CreatedAt = at, UpdatedAt = at + (decidedAfter ?? TimeSpan.FromSeconds(2)),
    };
}
