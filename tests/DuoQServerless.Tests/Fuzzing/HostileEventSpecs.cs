using System.Text.Json;
using System.Text.Json.Nodes;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Policy;
using FsCheck;
using FsCheck.Fluent;

namespace DuoQServerless.Tests.Fuzzing;

/// <summary>
/// Generated malformed and hostile events through the guards' pure path (GuardInput.Parse, the
/// four detectors, the Decider, the finding's JSON and notification): nothing throws, every input
/// ends in one of the closed outcomes, and a revert is planned only for a well-formed risky record
/// on the event's own resource. 12,000 cases in all; a failure prints the sample and mutations.
/// </summary>
public sealed class HostileEventSpecs
{
    public const int MalformedEvents = 6_000;
    public const int GeneratedIngressRules = 3_000;
    public const int DefusedRiskySamples = 1_000;
    public const int MutatedBenignSamples = 1_000;
    public const int MalformedRevertRequests = 1_000;

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    private static void Check<T>(Gen<T> generator, int cases, Func<T, bool> property) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), Prop.ForAll(generator.ToArbitrary(), property));

    [Fact]
    public void No_malformed_event_crashes_the_parser_the_detectors_or_the_decider() =>
        Check(HostileJson.Events(), MalformedEvents, hostile => GuardPath(hostile.Json).All(outcome => outcome is not null));

    [Fact]
    public void No_malformed_revert_or_approval_request_crashes_the_parser() =>
        Check(HostileJson.Events(RevertRequestSamples), MalformedRevertRequests, hostile => GuardInput.Parse(hostile.Json) switch
        {
            GuardInput.Invalid or GuardInput.Event => true,
            GuardInput.RevertRequested { Finding: var finding } => AsThePipelineUsesIt(finding, new Decision.Revert(finding.Revert, DryRun: false)),
            GuardInput.ApprovalGranted { Finding: var finding } granted =>
                AsThePipelineUsesIt(finding, new Decision.Notify(DryRun: false)) &&
                NotificationComposer.ComposeApproved(finding, granted.ApprovalId, granted.DecidedBy, new ActionResult.Done("tagged")).Subject.Length > 0,
            _ => false,
        });

    [Fact]
    public void A_generated_ingress_rule_is_a_finding_exactly_when_it_is_a_well_formed_world_open_ssh_rule() =>
        Check(GeneratedIngressEvents, GeneratedIngressRules, generated =>
        {
            var outcome = DetectSsh(generated.Json);
            var risky = SshRuleOracle.IsWellFormedRisky(generated.Permission);
            return (outcome, generated.Refused) switch
            {
                (DetectionOutcome.Detected detected, false) => risky && detected.Finding.Resource.Id == SampleGroupId,
                (DetectionOutcome.FailedCall, true) => risky,
                (DetectionOutcome.Benign, _) => !risky,
                _ => false,
            };
        });

    [Fact]
    public void A_risky_sample_turned_into_a_non_risky_rule_is_never_a_finding() =>
        Check(DefusedRiskySsh, DefusedRiskySamples, json => DetectSsh(json) is not DetectionOutcome.Detected);

    [Fact]
    public void A_benign_sample_however_mutated_never_plans_a_revert_of_anything_but_the_events_own_resource() =>
        Check(HostileJson.Events(name => !name.Contains("/risky-", StringComparison.Ordinal)), MutatedBenignSamples, hostile =>
            GuardPath(hostile.Json).OfType<DetectionOutcome.Detected>().All(detected => TargetsOwnResource(hostile.Json, detected.Finding)));

    /// <summary>What the pipeline reads of a finding handed back by the state machine.</summary>
    private static bool AsThePipelineUsesIt(Finding finding, Decision decision) =>
        FindingJson.Serialize(finding).Length > 0 && decision.Describe().Length > 0 && finding.Id.Length > 0 &&
        NotificationComposer.Compose(finding, decision, new ActionResult.Done("done")).Subject.Length > 0;

    /// <summary>Everything the guard function does with its input before touching AWS; returns the detections.</summary>
    private static IReadOnlyList<DetectionOutcome> GuardPath(string json)
    {
        if (GuardInput.Parse(json) is not GuardInput.Event { Record: var record }) return [];
        var outcomes = new List<DetectionOutcome>();
        foreach (var detector in Detectors.All)
        {
            _ = detector.FactsNeeded(record, GuardPolicy.Default);
            var outcome = detector.Detect(record, GuardPolicy.Default);
            switch (outcome)
            {
                case DetectionOutcome.Detected { Finding: var finding }:
                    var decision = Decider.Decide(finding, GuardPolicy.Default, NoTags, dryRun: false);
                    _ = decision.Describe();
                    _ = FindingJson.Serialize(finding);
                    _ = NotificationComposer.Compose(finding, decision, new ActionResult.Done("done"), GuardPolicy.Default.For(finding.Risk).Exemptions.Tag);
                    break;
                case DetectionOutcome.FailedCall failed:
                    _ = NotificationComposer.ComposeAttempt(failed.Attempted, failed.ErrorCode, failed.ErrorMessage);
                    break;
                case DetectionOutcome.Benign or DetectionOutcome.NotForThisGuard:
                    break;
                default:
                    throw new InvalidOperationException($"an outcome outside the closed set: {outcome}");
            }
            outcomes.Add(outcome);
        }
        return outcomes;
    }

    private static DetectionOutcome DetectSsh(string json) => GuardInput.Parse(json) switch
    {
        GuardInput.Event { Record: var record } => Detectors.PublicSsh.Detect(record, GuardPolicy.Default),
        var other => throw new InvalidOperationException($"a generated ingress event did not parse: {other}"),
    };

    /// <summary>The finding's resource, and for public SSH the plan's group, are named by the event itself.</summary>
    private static bool TargetsOwnResource(string json, Finding finding)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 });
        var named = StringValues(document.RootElement).ToHashSet(StringComparer.Ordinal);
        var ownGroup = finding.Revert is not RevokeIngressRules revoke ||
                       (revoke.Group.GroupId is { } id ? named.Contains(id) : revoke.Group.GroupName is { } name && named.Contains(name));
        return ownGroup && (named.Contains(finding.Resource.Id) || finding.Revert is NothingToRestore);
    }

    private static IEnumerable<string> StringValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => StringValues(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringValues),
        JsonValueKind.String => element.Text() is { } text ? [text] : [],
        // The parser reads a number where a name is expected as its text (CloudTrail writes some numbers as strings).
        JsonValueKind.Number => [element.GetRawText()],
        _ => [],
    };

    // ---- generated ingress events -------------------------------------------------------------

    private const string SampleGroupId = "sg-0f3a9c2d7b1e45a01";

    private sealed record GeneratedEvent(GeneratedPermission Permission, string Form, bool Refused, string Json)
    {
        public override string ToString() => $"{Form}{(Refused ? " (refused)" : "")}: {Permission}";
    }

    private static readonly string RiskySample = HostileJson.Samples.Single(sample => sample.Name == "ssh/risky-authorize-ipv4-22.json").Json;

    private static Gen<GeneratedEvent> GeneratedIngressEvents { get; } =
        from permission in SshRuleOracle.Permissions
        from form in Gen.Frequency((6, Gen.Constant("items")), (2, Gen.Constant("flat")), (2, Gen.Constant("modify")))
        from refused in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new GeneratedEvent(permission, form, refused, IngressEvent(permission, form, refused));

    private static string IngressEvent(GeneratedPermission p, string form, bool refused)
    {
        static string Field(string name, string? raw) => raw is null ? "" : $"\"{name}\":{raw},";
        var fields = Field("ipProtocol", p.Protocol) + Field("fromPort", p.FromPort) + Field("toPort", p.ToPort);
        var v4 = p.CidrIp is null ? "" : "{\"cidrIp\":" + p.CidrIp + "}";
        var v6 = p.CidrIpv6 is null ? "" : "{\"cidrIpv6\":" + p.CidrIpv6 + "}";
        var group = $"\"groupId\":\"{SampleGroupId}\"";
        var request = form switch
        {
            "items" => "{" + group + ",\"ipPermissions\":{\"items\":[{" + fields + "\"groups\":{},\"ipRanges\":{\"items\":[" + v4 +
                       "]},\"ipv6Ranges\":{\"items\":[" + v6 + "]}}]}}",
            "flat" => "{" + fields + Field("cidrIp", p.CidrIp) + Field("cidrIpv6", p.CidrIpv6) + group + "}",
            _ => "{\"ModifySecurityGroupRulesRequest\":{\"GroupId\":\"" + SampleGroupId + "\",\"SecurityGroupRule\":{\"SecurityGroupRuleId\":\"sgr-0a11b22c33d44e501\"," +
                 "\"SecurityGroupRule\":{" + Field("IpProtocol", p.Protocol) + Field("FromPort", p.FromPort) + Field("ToPort", p.ToPort) +
                 Field("CidrIpv4", p.CidrIp) + Field("CidrIpv6", p.CidrIpv6) + "\"Description\":\"fuzz\"}}}}",
        };
        var root = JsonNode.Parse(RiskySample)!;
        var detail = root["detail"]!.AsObject();
        // The sample's response lists the rule AWS created for the sample's request, not for this one.
        detail.Remove("responseElements");
        if (form == "modify") detail["eventName"] = "ModifySecurityGroupRules";
        if (refused) detail["errorCode"] = "Client.UnauthorizedOperation";
        detail["requestParameters"] = "\u0001request\u0001";
        return root.ToJsonString().Replace("\"\\u0001request\\u0001\"", request, StringComparison.Ordinal);
    }

    // ---- risky samples defused -----------------------------------------------------------------

    private static readonly string[] RiskySshSamples = HostileJson.Samples
        .Where(sample => sample.Name.StartsWith("ssh/risky-", StringComparison.Ordinal)).Select(sample => sample.Json).ToArray();

    private static Gen<string> DefusedRiskySsh { get; } =
        from sample in Gen.Elements(RiskySshSamples)
        from how in Gen.Choose(0, 3)
        from source in Gen.Elements(SshRuleOracle.Malformed.Concat(SshRuleOracle.NarrowIpv4).Concat(SshRuleOracle.NarrowIpv6).ToArray())
        from protocol in Gen.Elements("udp", "17", "icmp", "58", "47", "06", " tcp", "")
        from ports in Gen.Elements((23, 25), (0, 21), (-1, -1), (-1, 65535), (22, 65536), (23, 22), (443, 443))
        select Defuse(sample, how, source, protocol, ports);

    /// <summary>Makes every rule of a risky sample harmless or malformed in one way: its source, its
    /// protocol, its ports (with protocol tcp), or AWS refusing the call.</summary>
    private static string Defuse(string sample, int how, string source, string protocol, (int From, int To) ports)
    {
        var root = JsonNode.Parse(sample)!;
        var detail = root["detail"]!.AsObject();
        detail.Remove("responseElements"); // it lists the rules AWS created for the undefused request
        foreach (var (obj, key) in Objects(detail["requestParameters"]).SelectMany(obj => obj.Select(pair => (obj, pair.Key)).ToArray()))
        {
            switch (how, key.ToLowerInvariant())
            {
                case (0, "cidrip" or "cidripv6" or "cidripv4"):
                    obj[key] = source;
                    break;
                case (1, "ipprotocol"):
                    obj[key] = protocol;
                    break;
                case (2, "ipprotocol"):
                    obj[key] = "tcp";
                    break;
                case (2, "fromport"):
                    obj[key] = ports.From;
                    break;
                case (2, "toport"):
                    obj[key] = ports.To;
                    break;
            }
        }
        if (how == 3) detail["errorCode"] = "Client.UnauthorizedOperation";
        return root.ToJsonString();
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject obj => [obj, .. obj.SelectMany(pair => Objects(pair.Value))],
        JsonArray array => array.SelectMany(Objects),
        _ => [],
    };

    // ---- revert and approval requests ----------------------------------------------------------

    /// <summary>The state machine's payloads for the findings of the risky samples, as the fuzz starts from.</summary>
    private static readonly IReadOnlyList<(string Name, string Json)> RevertRequestSamples = HostileJson.Samples
        .Where(sample => sample.Name.Contains("/risky-", StringComparison.Ordinal))
        .SelectMany(sample => GuardInput.Parse(sample.Json) is GuardInput.Event { Record: var record } &&
                              Detectors.Watching(record)?.Detect(record, GuardPolicy.Default) is DetectionOutcome.Detected { Finding: var finding }
            ? new[]
            {
                (sample.Name + " revert", FindingJson.SerializeRevertRequest(finding)),
                (sample.Name + " approved", $$"""{"approved":{{FindingJson.Serialize(finding)}},"approvalId":"a-1","decidedBy":"alice@example.com"}"""),
            }
            : [])
        .ToArray();
}
