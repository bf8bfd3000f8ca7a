using System.Text.Json;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Tests.Findings;

public class FindingJsonRoundTrip
{
    public static TheoryData<int> PlanIndexes() => new(Enumerable.Range(0, FindingSamples.EveryPlan.Count));

    [Theory]
    [MemberData(nameof(PlanIndexes))]
    public void A_finding_comes_back_from_json_equal_whatever_its_revert_plan(int index)
    {
        var finding = FindingSamples.With(FindingSamples.EveryPlan[index]);
        var back = FindingJson.Deserialize(FindingJson.Serialize(finding), out var error);
        Assert.Null(error);
        Assert.NotNull(back);
        Assert.Equal(finding.Revert.GetType(), back.Revert.GetType());
        Assert.Equivalent(finding, back, strict: true);
    }

    [Fact]
    public void Every_plan_kind_is_covered_by_the_round_trip() =>
        Assert.Equal(RevertPermissions.AllKinds.Order(), FindingSamples.EveryPlan.Select(plan => plan.KindName).Order());

    [Fact]
    public void The_json_uses_camel_case_names_kebab_case_values_and_a_kind_discriminator()
    {
        using var json = JsonDocument.Parse(FindingJson.Serialize(FindingSamples.With(FindingSamples.EveryPlan[0])));
        var root = json.RootElement;
        Assert.Equal("e-1:public-ssh", root.GetProperty("id").GetString());
        Assert.Equal("public-ssh", root.GetProperty("risk").GetString());
        Assert.Equal("high", root.GetProperty("severity").GetString());
        Assert.Equal("revoke-ingress-rules", root.GetProperty("revert").GetProperty("kind").GetString());
        Assert.Equal("sgr-1", root.GetProperty("revert").GetProperty("rules")[0].GetProperty("ruleId").GetString());
        Assert.False(root.GetProperty("actor").TryGetProperty("display", out _));
    }

    [Fact]
    public void A_revert_request_from_step_functions_is_read_back_as_the_finding()
    {
        var finding = FindingSamples.With(new StopInstances(["i-01"]), Risk.OversizedInstance);
        var input = Assert.IsType<GuardInput.RevertRequested>(GuardInput.Parse(FindingJson.SerializeRevertRequest(finding)));
        Assert.Equivalent(finding, input.Finding, strict: true);
    }

    [Fact]
    public void A_cloudtrail_event_given_to_a_guard_is_read_as_an_event() =>
        Assert.IsType<GuardInput.Event>(GuardInput.Parse(Guards.EventsFolder.Read("instance/risky-run-m5-24xlarge.json")));

    [Theory]
    [InlineData("""{"revert": {"id": "x"}}""")]
    [InlineData("""{"revert": {"id": "x", "risk": "no-such-risk"}}""")]
    [InlineData("""{"revert": null}""")]
    [InlineData("not json")]
    public void A_broken_revert_request_is_invalid_not_a_crash(string json) =>
        Assert.IsType<GuardInput.Invalid>(GuardInput.Parse(json));

    [Fact]
    public void A_plan_kind_nobody_knows_is_refused()
    {
        var json = FindingJson.Serialize(FindingSamples.With(new DeleteLoginProfile("bot"))).Replace("delete-login-profile", "delete-user");
        Assert.Null(FindingJson.Deserialize(json, out var error));
        Assert.NotNull(error);
    }
}
