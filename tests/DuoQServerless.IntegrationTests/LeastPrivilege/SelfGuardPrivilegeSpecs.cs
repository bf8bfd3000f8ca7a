using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

public sealed class SelfGuardWorld : GuardWorld
{
    // The self guard never asks a person: its policy has no approve mode, and its role no states:StartExecution.
    public override GuardCase Case { get; } = new("self-guard", ["self-protection"], [DisableDuoQRuleAsync], []);

    private static readonly JsonTypeInfo<JsonObject> Json = (JsonTypeInfo<JsonObject>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonObject));

    /// <summary>One of DuoQ's rules disabled, and the sample event of that change.</summary>
    private static async Task<string> DisableDuoQRuleAsync(AwsClientFactory admin)
    {
        const string sampleRule = "duoq-serverless-SshGuardFunctionCloudTrail-1K2L3M4N5O6P";
        var rule = $"duoq-serverless-SshGuardCloudTrail-{Guid.NewGuid():N}"[..60];
        var events = admin.JsonClient(AwsService.EventBridge);
        await events.InvokeAsync("PutRule", new JsonObject { ["Name"] = rule, ["EventPattern"] = """{"source":["aws.ec2"]}""", ["State"] = "ENABLED" }, Json, Json);
        await events.InvokeAsync("DisableRule", new JsonObject { ["Name"] = rule }, Json, Json);
        return GuardCase.Sample("self/risky-disable-rule.json", new Dictionary<string, string> { [sampleRule] = rule });
    }
}

public sealed class SelfGuardPrivilegeSpecs(SelfGuardWorld world, ITestOutputHelper output) : GuardPrivilegeSpecs(world, output), IClassFixture<SelfGuardWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions("self-guard");

    [Fact]
    public Task Every_self_guard_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role_in_template_yaml_resources_included();

    [Fact]
    public Task Every_action_of_the_self_guard_role_is_used() => No_action_the_role_grants_goes_unused();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_the_self_guard_is_refused_and_records_and_notifies(string action) => Without_one_action_the_guard_is_refused_records_and_notifies(action);
}
