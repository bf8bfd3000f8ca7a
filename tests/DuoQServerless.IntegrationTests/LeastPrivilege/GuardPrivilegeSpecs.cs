using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Functions.Guards;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>An enforcing emulator for one guard, its scenario run once with the role's full actions.</summary>
public abstract class GuardWorld : PrivilegeWorld
{
    private Task<GuardScenario.Result>? _full;

    public abstract GuardCase Case { get; }

    public override string Handler => Case.Handler;

    /// <summary>The scenario holding exactly the role's actions (run once, shared by the specs reading it).</summary>
    public Task<GuardScenario.Result> FullyGrantedAsync() => _full ??= RunGrantedAsync(Role.Actions);

    public async Task<GuardScenario.Result> RunGrantedAsync(IEnumerable<string> actions, Func<string, bool>? runSegment = null)
    {
        await GrantAsync(actions);
        return await GuardScenario.RunAsync(this, Case, runSegment);
    }

    /// <summary>The scenario without one action, running only the segments that called it.</summary>
    public async Task<GuardScenario.Result> RunWithoutAsync(string removed)
    {
        var full = await FullyGrantedAsync();
        return await RunGrantedAsync(Role.Actions.Where(a => a != removed), segment => full.ActionsBySegment[segment].Contains(removed));
    }

    /// <summary>The actions a removal spec takes away one at a time: all the code itself calls.
    /// kms:Decrypt is SSM's call (moto's SSM does not make it) and the platform grants are AWS's.</summary>
    public static IEnumerable<object[]> RemovableActions(string handler) =>
        TemplateRole.Of(handler, StackNames.For("duoq", "duoq-audit", "arn:aws:sns:us-east-1:123456789012:t", "b")).Actions
            .Where(a => !PrivilegeLedger.PlatformGrants.ContainsKey(a) && a != "kms:Decrypt")
            .Select(a => new object[] { a });
}

/// <summary>
/// Least privilege, proven for one guard: (a) every call of its scenario is allowed by its role in
/// template.yaml, resources included; (b) nothing the role grants goes unused; (c) holding exactly
/// the role's actions the scenario passes, and without any one of them the guard is refused, does
/// not crash, and the failure is recorded in the audit table and notified.
/// </summary>
public abstract class GuardPrivilegeSpecs(GuardWorld world, ITestOutputHelper output)
{
    private static readonly string[] Passing = [GuardStatus.Done, GuardStatus.AlreadyDone, GuardStatus.Duplicate];

    protected async Task Every_call_is_allowed_by_the_role_in_template_yaml_resources_included()
    {
        var result = await world.FullyGrantedAsync();

        Assert.Empty(result.InitErrors);
        Assert.All(result.Steps, step => Assert.True(step.Outcome.Escaped is null && Passing.Contains(step.Status), $"{step.Name}: {step.Outcome.Describe()}"));
        Assert.All(result.Calls, call => Assert.False(PrivilegeLedger.IsRefusal(call), $"{call.Action} refused: {call.ErrorCode}"));
        Assert.Empty(PrivilegeLedger.Refusals(world.Role, result.Calls, world.SecureParameters));
        output.WriteLine(PrivilegeLedger.Row(world.Role, result.Calls, world.SecureParameters));
    }

    protected async Task No_action_the_role_grants_goes_unused()
    {
        var result = await world.FullyGrantedAsync();

        Assert.Empty(PrivilegeLedger.Unused(world.Role, result.Calls, world.SecureParameters));
        Assert.Empty(PrivilegeLedger.UnneededStatements(world.Role, result.Calls, world.SecureParameters));
    }

    protected async Task Without_one_action_the_guard_is_refused_records_and_notifies(string removed)
    {
        var result = await world.RunWithoutAsync(removed);

        if (removed == "ssm:GetParameter")
        {
            // Without its policy a guard cannot know what to do: Lambda reports the init error,
            // retries the async event and then sends it to the dead-letter queue; nothing is lost.
            Assert.All(result.Runs, run => Assert.Matches("SSM parameter /duoq/.*AccessDenied", run.InitError?.Message ?? "(no init error)"));
            return;
        }
        Assert.Empty(result.InitErrors);
        Assert.Contains(result.Calls, c => c.Action == removed && PrivilegeLedger.IsRefusal(c));
        foreach (var step in result.Steps)
        {
            // An approval entry that could not act throws on purpose: Step Functions retries it, then
            // notifies. A guard whose audit write was refused acts and notifies, then fails the
            // invocation on purpose so Lambda retries the event and finally dead-letters it.
            var expected = step.Outcome.Escaped is null or RevertFailedException ||
                           (step.Outcome.Escaped is AuditUnavailableException && removed is "dynamodb:PutItem" or "dynamodb:UpdateItem");
            Assert.True(expected, $"{step.Name} crashed: {step.Outcome.Describe()}");
        }
        var notified = result.Calls.Where(c => c is { Action: "sns:Publish", Succeeded: true }).Select(c => ((PublishRequest)c.Request!).Message).ToList();
        if (removed is "dynamodb:PutItem" or "dynamodb:UpdateItem")
        {
            // The audit table refused: the log says so, the findings are still acted on and notified,
            // and the invocation fails so Lambda retries the event and finally dead-letters it.
            Assert.Contains("AccessDenied", result.Logs);
            Assert.NotEmpty(notified);
            Assert.Contains(result.Steps, step => step.Outcome.Escaped is AuditUnavailableException);
            return;
        }
        var met = result.Steps.Select(s => s.FindingId).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(met);
        var recorded = new List<string>();
        foreach (var id in met)
        {
            var entry = await world.Audit.GetAsync(id);
            Assert.True(entry is not null, $"finding {id} is not in the audit table");
            recorded.Add($"{id}: {entry.Summary} | {entry.State} {entry.Action} {entry.Result}");
        }
        switch (removed)
        {
            case "sns:Publish":
                Assert.Contains("Notification not sent", result.Logs);
                Assert.Contains("AccessDenied", result.Logs);
                break;
            default:
                Assert.True(recorded.Any(r => r.Contains("AccessDenied", StringComparison.Ordinal)), $"no audit item names the refusal:\n{string.Join("\n", recorded)}");
                // An approval entry that could not act ended in RevertFailedException: the state
                // machine's catch (NotifyRevertFailed / NotifyApprovalActionFailed) notifies.
                Assert.True(
                    notified.Any(m => m.Contains("AccessDenied", StringComparison.Ordinal)) || result.Steps.Any(s => s.Outcome.Escaped is RevertFailedException),
                    $"no notification names the refusal:\n{string.Join("\n---\n", notified)}");
                break;
        }
    }
}
