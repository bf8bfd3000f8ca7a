using DuoQServerless.Core.Findings;

namespace DuoQServerless.Tests.Findings;

/// <summary>One finding per kind of revert plan, for round-trip and notification specs.</summary>
internal static class FindingSamples
{
    public static readonly IReadOnlyList<RevertPlan> EveryPlan =
    [
        new RevokeIngressRules(new SecurityGroupRef("sg-0abc", null),
            [new IngressRule("sgr-1", "tcp", 22, 22, "0.0.0.0/0", null), new IngressRule(null, "-1", null, null, null, "::/0")]),
        new EnableDeletionProtection(DbKind.Cluster, "billing"),
        new RestoreFromSnapshot(DbKind.Instance, "orders-final", "orders", "postgres", "db.m5.large", null),
        new NothingToRestore("it was deleted without a final snapshot"),
        new DetachPolicy(PrincipalKind.Group, "devs", "arn:aws:iam::aws:policy/AdministratorAccess"),
        new ReattachPolicy(PrincipalKind.Role, "QDeveloperAccess", "arn:aws:iam::123456789012:policy/q"),
        new DeleteInlinePolicy(PrincipalKind.User, "bot", "everything"),
        new DeactivateAccessKey("bot", "AKIAEXAMPLE"),
        new DeleteLoginProfile("bot"),
        new RestoreTrustPolicy("ci"),
        new RestoreDefaultPolicyVersion("arn:aws:iam::123456789012:policy/deploy", "v3"),
        new RestoreMaxSessionDuration("QDeveloperAccess", 43200),
        new StopInstances(["i-01", "i-02"]),
        new EnableRule("duoq-serverless-SshGuardFunctionCloudTrail-1K2L", null),
    ];

    public static Finding With(RevertPlan plan, Risk risk = Risk.PublicSsh, string summary = "port 22 opened to 0.0.0.0/0 on sg-0abc",
        string actorArn = "arn:aws:sts::123456789012:assumed-role/QDeveloperAccess/amazon-q-developer") =>
        new(
            Finding.IdFor("e-1", risk),
            risk,
            Severity.High,
            new EventFacts("e-1", "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", new DateTimeOffset(2025, 3, 14, 9, 0, 37, TimeSpan.Zero), "us-east-1", "123456789012"),
            new Actor(actorArn, "AssumedRole", "arn:aws:iam::123456789012:role/QDeveloperAccess", "203.0.113.41", "aws-cli/2.22.35"),
            new AffectedResource("AWS::EC2::SecurityGroup", "sg-0abc", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc",
                new Dictionary<string, string> { ["team"] = "web" }),
            summary,
            plan,
            new Dictionary<string, string> { ["watchedPorts"] = "22" });
}
