using System.Text.Json;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Functions.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Validation;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>The guide's setup, a GitLab admin token in a SecureString and a GitLab URL on a closed
/// loopback port (the token is read, the probe is refused: nothing leaves 127.0.0.1).</summary>
public sealed class ValidatorWorld : PrivilegeWorld
{
    private const string TokenParameter = "/duoq/gitlab-admin-token";
    private Task<(IReadOnlyList<FunctionRun> Runs, IReadOnlyList<Invoked> Outcomes)>? _full;

    public override string Handler => ValidatorHandler.Name;

    public GuideSetup Setup { get; private set; } = null!;

    protected override async Task SeedAsync()
    {
        Setup = await GuideSetup.SeedAsync(Admin);
        // A customer managed policy on the Q role: the validator reads its default version.
        var extra = await Admin.Iam.CreatePolicyAsync("q-extra", IamSetup.AllowPolicy("codewhisperer:GenerateRecommendations"));
        await Admin.Iam.AttachRolePolicyForSetUpAsync(GuideSetup.RoleName, extra);
        await PutParameterAsync(TokenParameter, "glpat-not-a-real-token", secure: true);
    }

    public Task<(IReadOnlyList<FunctionRun> Runs, IReadOnlyList<Invoked> Outcomes)> FullyGrantedAsync() => _full ??= RunGrantedAsync(Role.Actions);

    /// <summary>Two validations from a clean slate: the first while the topic is gone (its result is
    /// rolled back so the next run notifies), the second with the topic back (stored and notified).</summary>
    public async Task<(IReadOnlyList<FunctionRun> Runs, IReadOnlyList<Invoked> Outcomes)> RunGrantedAsync(IEnumerable<string> actions)
    {
        await GrantAsync(actions);
        await Admin.DynamoDb.DeleteItemAsync(Stack.AuditTable, new() { ["id"] = new(DuoQServerless.Aws.Validation.ValidationStore.LastResultId) });
        var environment = Environment(new Dictionary<string, string>
        {
            [ValidatorVariables.RoleName] = GuideSetup.RoleName,
            [ValidatorVariables.InstanceId] = GuideSetup.InstanceId,
            [ValidatorVariables.KmsKeyId] = Setup.KeyId,
            [ValidatorVariables.SecurityGroupIds] = Setup.GroupId,
            [ValidatorVariables.GitLabUrl] = "https://127.0.0.1:1/",
            [ValidatorVariables.GitLabTokenParameter] = TokenParameter,
        });
        var run = await FunctionRun.StartAsync(Handler, environment);
        if (run.InitError is not null) return ([run], [new Invoked(null, run.InitError)]);
        await Admin.Sns.Query.InvokeAsync("DeleteTopic", new Aws.Protocol.QueryParameters().Add("TopicArn", Stack.TopicArn));
        var topicGone = await run.InvokeAsync("{}");
        await Admin.Sns.CreateTopicAsync(new CreateTopicRequest($"{DuoQServerless.Cli.Emulator.EmulatorStack.StackName}-findings"));
        var topicBack = await run.InvokeAsync("{}");
        return ([run], [topicGone, topicBack]);
    }
}

public sealed class ValidatorPrivilegeSpecs(ValidatorWorld world, ITestOutputHelper output) : IClassFixture<ValidatorWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions(ValidatorHandler.Name);

    private IReadOnlyList<Aws.Protocol.AwsCall> CallsOf(IReadOnlyList<FunctionRun> runs) => runs.SelectMany(r => r.Calls.Calls).ToList();

    [Fact]
    public async Task Every_validator_call_is_allowed_by_its_role_in_template_yaml_resources_included()
    {
        var (runs, outcomes) = await world.FullyGrantedAsync();

        Assert.All(outcomes, o => Assert.True(o.Escaped is null, o.Describe()));
        Assert.All(CallsOf(runs), call => Assert.False(PrivilegeLedger.IsRefusal(call), $"{call.Action} refused: {call.ErrorCode}"));
        Assert.Empty(PrivilegeLedger.Refusals(world.Role, CallsOf(runs), world.SecureParameters));
        output.WriteLine(PrivilegeLedger.Row(world.Role, CallsOf(runs), world.SecureParameters));
    }

    [Fact]
    public async Task Every_action_of_the_validator_role_is_used()
    {
        var (runs, _) = await world.FullyGrantedAsync();

        Assert.Empty(PrivilegeLedger.Unused(world.Role, CallsOf(runs), world.SecureParameters));
        Assert.Empty(PrivilegeLedger.UnneededStatements(world.Role, CallsOf(runs), world.SecureParameters));
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Without_one_action_the_validator_fails_a_check_naming_it_or_logs_it(string removed)
    {
        await world.FullyGrantedAsync();
        var (runs, outcomes) = await world.RunGrantedAsync(world.Role.Actions.Where(a => a != removed));

        Assert.Contains(CallsOf(runs), c => c.Action == removed && PrivilegeLedger.IsRefusal(c));
        Assert.All(outcomes, o => Assert.True(o.Escaped is null, $"without {removed}: {o.Describe()}"));
        var report = outcomes[^1].Answer!.Value.GetRawText();
        if (removed.StartsWith("dynamodb:") || removed == "sns:Publish")
            Assert.Contains("AccessDenied", string.Concat(runs.Select(r => r.Logs)));
        else
            Assert.Contains(removed, JsonSerializer.Deserialize<JsonElement>(report).GetRawText());
    }
}
