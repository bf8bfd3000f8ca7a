using System.Text.Json;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

/// <summary>What each detector declares as data (events, policy blocks, IAM actions) is complete and consistent.</summary>
public class DetectorDeclarations
{
    public static TheoryData<Guard> Guards() => new(Enum.GetValues<Guard>());

    [Fact]
    public void Each_risk_is_raised_by_exactly_one_guard_and_has_exactly_one_policy_block()
    {
        Assert.Equal(RiskNames.All.Order(), Detectors.All.SelectMany(detector => detector.Risks).Order());
        Assert.Equal(GuardPolicy.Blocks.OrderBy(block => block.Risk), Detectors.All.SelectMany(detector => detector.PolicyBlocks).OrderBy(block => block.Risk));
        Assert.All(Detectors.All, detector => Assert.All(detector.Risks, risk => Assert.Equal(detector.Guard, risk.GuardOf())));
    }

    [Fact]
    public void No_event_is_watched_by_two_guards_except_the_role_calls_the_self_guard_watches_for_DuoQs_own_roles()
    {
        var watched = Detectors.All.Where(detector => detector != Detectors.SelfProtection)
            .SelectMany(detector => detector.Watched.SelectMany(service => service.EventNames.Select(name => $"{service.EventSource} {name}"))).ToArray();
        Assert.Equal(watched.Length, watched.Distinct().Count());

        var shared = Detectors.SelfProtection.Watched.SelectMany(service => service.EventNames.Select(name => $"{service.EventSource} {name}")).Intersect(watched);
        Assert.All(shared, name => Assert.StartsWith("iam.amazonaws.com ", name));
        Assert.NotEmpty(Detectors.SelfProtection.RuleNameFilters); // so its rule delivers only DuoQ's own roles, never the IAM guard's whole stream
    }

    [Theory]
    [MemberData(nameof(Guards))]
    public void Declared_iam_actions_are_service_colon_action_and_include_the_reverts_writes(Guard guard)
    {
        var detector = Detectors.For(guard);
        Assert.NotEmpty(detector.RevertActions);
        Assert.All(detector.RevertActions.Concat(detector.ReadActions), action =>
            Assert.Matches(@"^(ec2|rds|iam|events|dynamodb):[A-Z][A-Za-z]+$", action)); // dynamodb: the trust restore reads the last good policy from the audit table
        foreach (var kind in detector.PlanKinds)
            Assert.Superset(RevertPermissions.For(kind).Writes.ToHashSet(), detector.RevertActions.ToHashSet());
        Assert.Empty(detector.RevertActions.Intersect(detector.ReadActions));
    }

    [Theory]
    [MemberData(nameof(Guards))]
    public void The_rule_pattern_matches_the_guards_source_events_and_leaves_failed_calls_out(Guard guard)
    {
        var detector = Detectors.For(guard);
        using var pattern = JsonDocument.Parse(EventRulePattern.For(detector));
        var root = pattern.RootElement;
        Assert.Equal(detector.Watched.Select(service => service.EventBridgeSource).Distinct(), root.GetProperty("source").EnumerateArray().Select(source => source.GetString()));
        Assert.Equal("AWS API Call via CloudTrail", root.GetProperty("detail-type")[0].GetString());
        var detail = root.GetProperty("detail");
        Assert.Equal(detector.Watched.Select(service => service.EventSource).Distinct(), detail.GetProperty("eventSource").EnumerateArray().Select(source => source.GetString()));
        Assert.Equal(detector.EventNames, detail.GetProperty("eventName").EnumerateArray().Select(name => name.GetString()));
        Assert.False(detail.GetProperty("errorCode")[0].GetProperty("exists").GetBoolean());

        using var withFailures = JsonDocument.Parse(EventRulePattern.For(detector, includeFailedCalls: true));
        Assert.False(withFailures.RootElement.GetProperty("detail").TryGetProperty("errorCode", out _));
    }

    [Fact]
    public void The_declared_actions_are_the_ones_the_guards_need()
    {
        Assert.Equal(["ec2:CreateTags", "ec2:RevokeSecurityGroupIngress"], Detectors.PublicSsh.RevertActions);
        Assert.Equal(["ec2:CreateTags", "ec2:StopInstances"], Detectors.OversizedInstance.RevertActions);
        Assert.Equal(["rds:AddTagsToResource", "rds:ModifyDBCluster", "rds:ModifyDBInstance", "rds:RestoreDBClusterFromSnapshot", "rds:RestoreDBInstanceFromDBSnapshot"],
            Detectors.Rds.RevertActions);
        Assert.DoesNotContain(Detectors.All.SelectMany(detector => detector.RevertActions),
            action => action is "ec2:TerminateInstances" or "iam:DeleteAccessKey" or "rds:DeleteDBInstance");
    }
}
