using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Core.Approval;
using DuoQServerless.Functions.Approval;
using DuoQServerless.IntegrationTests.Approval;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>The approval functions' world: the link key in a SecureString under /duoq/.</summary>
public abstract class ApprovalFunctionWorld : PrivilegeWorld
{
    public const string KeyParameter = "/duoq/approval-link-key";
    public static readonly Uri Api = ApprovalWorld.Api;
    private Task<(FunctionRun Run, IReadOnlyList<Invoked> Outcomes)>? _full;

    protected override Task SeedAsync() => PutParameterAsync(KeyParameter, ApprovalWorld.LinkSecret, secure: true);

    public Task<(FunctionRun Run, IReadOnlyList<Invoked> Outcomes)> FullyGrantedAsync() => _full ??= RunGrantedAsync(Role.Actions);

    public async Task<(FunctionRun Run, IReadOnlyList<Invoked> Outcomes)> RunGrantedAsync(IEnumerable<string> actions)
    {
        await GrantAsync(actions);
        var run = await FunctionRun.StartAsync(Handler, Environment(new Dictionary<string, string>
        {
            [ApprovalVariables.KeyParameter] = KeyParameter,
            [ApprovalVariables.BaseUrl] = Api.ToString(),
        }));
        return (run, run.InitError is null ? await ScenarioAsync(run) : [new Invoked(null, run.InitError)]);
    }

    protected abstract Task<IReadOnlyList<Invoked>> ScenarioAsync(FunctionRun run);
}

/// <summary>The state machine's approval request arrives from SQS: stored, emailed with signed links.</summary>
public sealed class RequestApprovalWorld : ApprovalFunctionWorld
{
    public override string Handler => RequestApprovalHandler.Name;

    protected override async Task<IReadOnlyList<Invoked>> ScenarioAsync(FunctionRun run)
    {
        var template = ApprovalStoreSpecs.Pending();
        var message = new ApprovalRequestMessage
        {
            TaskToken = $"token-{Guid.NewGuid():N}",
            ExecutionArn = template.ExecutionArn,
            Finding = JsonDocument.Parse($$"""{"id":"ev-{{Guid.NewGuid():N}}:public-ssh","groupId":"sg-0abc","ruleIds":["sgr-0123"]}""").RootElement.Clone(),
            GuardFunctionArn = template.GuardFunctionArn,
            TimeoutSeconds = 300,
            ApprovalSummary = template.Summary,
        };
        var record = new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(), ["receiptHandle"] = "handle", ["eventSource"] = "aws:sqs",
            ["body"] = JsonSerializer.Serialize(message, ApprovalJson.Default.ApprovalRequestMessage),
            ["eventSourceARN"] = $"arn:aws:sqs:{StackNames.Region}:{StackNames.Account}:duoq-approval-requests", ["awsRegion"] = StackNames.Region,
        };
        return [await run.InvokeAsync(new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString())];
    }
}

/// <summary>A person opens the approve link (GET, the page only), approves one request and rejects another (POST).</summary>
public sealed class ApprovalCallbackWorld : ApprovalFunctionWorld
{
    public override string Handler => ApprovalCallbackHandler.Name;

    protected override async Task<IReadOnlyList<Invoked>> ScenarioAsync(FunctionRun run)
    {
        var links = ApprovalLink.FromSecret(ApprovalWorld.LinkSecret);
        var store = new ApprovalStore(Admin.DynamoDb, Stack.AuditTable);
        var now = DateTimeOffset.UtcNow;
        var outcomes = new List<Invoked>();
        foreach (var decision in new[] { ApprovalDecision.Approve, ApprovalDecision.Reject })
        {
            var approval = ApprovalStoreSpecs.Pending(createdAt: now) with { ExpiresAt = now.AddHours(1) };
            await store.CreateAsync(approval);
            var link = links.Create(Api, approval.ApprovalId, decision, approval.ExpiresAt);
            if (decision == ApprovalDecision.Approve) outcomes.Add(await run.InvokeAsync(HttpEvent("GET", link)));
            outcomes.Add(await run.InvokeAsync(HttpEvent("POST", link)));
        }
        return outcomes;
    }

    private static string HttpEvent(string method, Uri link)
    {
        var query = HttpUtility.ParseQueryString(link.Query);
        var @event = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = $"{method} /approvals/{{id}}",
            ["rawPath"] = link.AbsolutePath,
            ["rawQueryString"] = link.Query.TrimStart('?'),
            ["headers"] = new JsonObject { ["host"] = link.Host, ["content-type"] = "application/x-www-form-urlencoded" },
            ["queryStringParameters"] = new JsonObject(query.AllKeys.Select(k => KeyValuePair.Create(k!, (JsonNode?)query[k]))),
            ["pathParameters"] = new JsonObject { ["id"] = link.Segments[^1] },
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = StackNames.Account,
                ["http"] = new JsonObject { ["method"] = method, ["path"] = link.AbsolutePath, ["sourceIp"] = "198.51.100.23", ["userAgent"] = "Mozilla/5.0" },
            },
            ["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ApprovalPages.DecidedByField}=Alice")),
            ["isBase64Encoded"] = true,
        };
        return @event.ToJsonString();
    }
}

/// <summary>Least privilege, proven for the two approval functions: every call allowed by the role
/// in template.yaml, every action used, and without any one an error answer, never a crash.</summary>
public abstract class ApprovalPrivilegeSpecs(ApprovalFunctionWorld world, ITestOutputHelper output)
{
    protected async Task Every_call_is_allowed_by_the_role()
    {
        var (run, outcomes) = await world.FullyGrantedAsync();

        Assert.All(outcomes, o => Assert.True(o.Escaped is null, o.Describe()));
        Assert.All(run.Calls.Calls, call => Assert.False(PrivilegeLedger.IsRefusal(call), $"{call.Action} refused: {call.ErrorCode}"));
        Assert.Empty(PrivilegeLedger.Refusals(world.Role, run.Calls.Calls, world.SecureParameters));
        output.WriteLine(PrivilegeLedger.Row(world.Role, run.Calls.Calls, world.SecureParameters));
    }

    protected async Task Every_action_is_used()
    {
        var (run, _) = await world.FullyGrantedAsync();

        Assert.Empty(PrivilegeLedger.Unused(world.Role, run.Calls.Calls, world.SecureParameters));
        Assert.Empty(PrivilegeLedger.UnneededStatements(world.Role, run.Calls.Calls, world.SecureParameters));
    }

    protected async Task Without_one_action_the_function_answers_an_error_and_logs_it(string removed)
    {
        await world.FullyGrantedAsync();
        var (run, outcomes) = await world.RunGrantedAsync(world.Role.Actions.Where(a => a != removed));

        if (removed == "ssm:GetParameter")
        {
            // Without the link key nothing can be signed or checked: an init error naming the parameter.
            Assert.Contains(ApprovalFunctionWorld.KeyParameter, run.InitError?.Message ?? "(no init error)");
            return;
        }
        Assert.Contains(run.Calls.Calls, c => c.Action == removed && PrivilegeLedger.IsRefusal(c));
        Assert.All(outcomes, o => Assert.True(o.Escaped is null, $"without {removed}: {o.Describe()}"));
        Assert.Contains("AccessDenied", run.Logs + string.Concat(outcomes.Select(o => o.Describe())));
    }
}

public sealed class RequestApprovalPrivilegeSpecs(RequestApprovalWorld world, ITestOutputHelper output) : ApprovalPrivilegeSpecs(world, output), IClassFixture<RequestApprovalWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions(RequestApprovalHandler.Name);

    [Fact]
    public Task Every_request_approval_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role();

    [Fact]
    public Task Every_action_of_the_request_approval_role_is_used() => Every_action_is_used();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_request_approval_answers_an_error_and_logs_it(string action) => Without_one_action_the_function_answers_an_error_and_logs_it(action);
}

public sealed class ApprovalCallbackPrivilegeSpecs(ApprovalCallbackWorld world, ITestOutputHelper output) : ApprovalPrivilegeSpecs(world, output), IClassFixture<ApprovalCallbackWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions(ApprovalCallbackHandler.Name);

    [Fact]
    public Task Every_approval_callback_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role();

    [Fact]
    public Task Every_action_of_the_approval_callback_role_is_used() => Every_action_is_used();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_approval_callback_answers_an_error_and_logs_it(string action) => Without_one_action_the_function_answers_an_error_and_logs_it(action);
}
