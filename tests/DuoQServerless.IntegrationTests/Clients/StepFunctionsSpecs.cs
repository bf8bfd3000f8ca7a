using System.Text.Json;
using System.Text.Json.Nodes;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// The approval flow's calls against an executing state machine: its one task sends the task
/// token to an SQS queue (<c>sqs:sendMessage.waitForTaskToken</c>) and waits, as the approval
/// request waits for a human.
/// </summary>
public sealed class StepFunctionsSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private const string RoleArn = $"arn:aws:iam::{TestCredentials.AccountId}:role/duoq-approval";
    private const string Input = """{"finding":"rds-delete","resource":"orders+1","approver":"Équipe sécurité 東京"}""";

    [Fact]
    public async Task CreateStateMachine_returns_the_arn_of_the_new_state_machine()
    {
        var created = await Aws.StepFunctions.CreateStateMachineAsync(new CreateStateMachineRequest("duoq-approval", Definition("http://unused"), RoleArn)
        {
            Type = StateMachineType.Standard,
            Tags = [new StateMachineTag("duoq:component", "approval")],
        });

        Assert.Equal($"arn:aws:states:us-east-1:{TestCredentials.AccountId}:stateMachine:duoq-approval", created.StateMachineArn);
        Assert.InRange(created.CreationDate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task StartExecution_starts_an_execution_that_DescribeExecution_shows_running_with_its_input()
    {
        var (machine, _) = await ApprovalMachineAsync();

        var started = await Aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest(machine, Input, "finding-42"));

        var described = await Aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(started.ExecutionArn));
        Assert.Equal($"arn:aws:states:us-east-1:{TestCredentials.AccountId}:execution:duoq-approval:finding-42", started.ExecutionArn);
        Assert.Equal((started.ExecutionArn, machine, "finding-42", ExecutionStatus.Running), (described.ExecutionArn, described.StateMachineArn, described.Name, described.Status));
        Assert.Equal(Input, described.Input);
        Assert.Null(described.StopDate);
    }

    [Fact]
    public async Task SendTaskSuccess_completes_the_waiting_task_and_its_output_becomes_the_executions()
    {
        var (machine, inbox) = await ApprovalMachineAsync();
        var started = await Aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest(machine, Input));
        var token = await TaskTokenAsync(inbox);

        await Aws.StepFunctions.SendTaskSuccessAsync(new SendTaskSuccessRequest(token, """{"decision":"approved","by":"Zoë"}"""));

        var finished = await FinishedAsync(started.ExecutionArn);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"decision":"approved","by":"Zoë"}"""), JsonNode.Parse(finished.Output!)));
        Assert.NotNull(finished.StopDate);
    }

    // moto 5.2.1 drops the cause of SendTaskFailure; WireFormatSpecs shows it is sent.
    [Fact]
    public async Task SendTaskFailure_fails_the_execution_with_that_error()
    {
        var (machine, inbox) = await ApprovalMachineAsync();
        var started = await Aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest(machine, Input));
        var token = await TaskTokenAsync(inbox);

        await Aws.StepFunctions.SendTaskFailureAsync(new SendTaskFailureRequest(token, "Rejected", "rejected by Zoë: not during the freeze"));

        var finished = await FinishedAsync(started.ExecutionArn);
        Assert.Equal((ExecutionStatus.Failed, "Rejected"), (finished.Status, finished.Error));
    }

    [Fact]
    public async Task SendTaskHeartbeat_is_accepted_while_the_task_waits_and_refused_once_it_is_done()
    {
        var (machine, inbox) = await ApprovalMachineAsync();
        var started = await Aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest(machine, Input));
        var token = await TaskTokenAsync(inbox);

        await Aws.StepFunctions.SendTaskHeartbeatAsync(new SendTaskHeartbeatRequest(token));
        var whileWaiting = await Aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(started.ExecutionArn));
        await Aws.StepFunctions.SendTaskSuccessAsync(new SendTaskSuccessRequest(token, "{}"));
        await FinishedAsync(started.ExecutionArn);
        var afterwards = await Assert.ThrowsAsync<AwsApiException>(() => Aws.StepFunctions.SendTaskHeartbeatAsync(new SendTaskHeartbeatRequest(token)));

        Assert.Equal(ExecutionStatus.Running, whileWaiting.Status);
        Assert.Equal("states:SendTaskHeartbeat", afterwards.Action);
        Assert.Contains(afterwards.ErrorCode, new[] { AwsErrorCodes.TaskTimedOut, AwsErrorCodes.TaskDoesNotExist, AwsErrorCodes.InvalidToken });
    }

    [Fact]
    public async Task A_token_nobody_issued_is_refused_with_a_typed_error()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() =>
            Aws.StepFunctions.SendTaskSuccessAsync(new SendTaskSuccessRequest("bm90LWEtdG9rZW4=", "{}")));

        Assert.Equal("states", error.Service);
        Assert.Contains(error.ErrorCode, new[] { AwsErrorCodes.InvalidToken, AwsErrorCodes.TaskDoesNotExist });
    }

    // A Wait state rather than a task token: moto 5.2.1 only aborts a waiting callback task
    // once its heartbeat expires, while AWS aborts it at once.
    [Fact]
    public async Task StopExecution_aborts_a_running_execution()
    {
        var waiting = """{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":600,"End":true}}}""";
        var machine = await Aws.StepFunctions.CreateStateMachineAsync(new CreateStateMachineRequest("duoq-hold", waiting, RoleArn));
        var started = await Aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest(machine.StateMachineArn, Input));

        await Aws.StepFunctions.StopExecutionAsync(new StopExecutionRequest(started.ExecutionArn, "Superseded", "a newer finding replaced it"));

        var described = await FinishedAsync(started.ExecutionArn);
        Assert.Equal(ExecutionStatus.Aborted, described.Status);
    }

    [Fact]
    public async Task GetExecutionHistory_lists_the_events_from_start_to_success_with_their_details()
    {
        var (machine, inbox) = await ApprovalMachineAsync();
        var started = await Aws.StepFunctions.StartExecutionAsync(new StartExecutionRequest(machine, Input));
        await Aws.StepFunctions.SendTaskSuccessAsync(new SendTaskSuccessRequest(await TaskTokenAsync(inbox), """{"decision":"approved"}"""));
        await FinishedAsync(started.ExecutionArn);

        var events = await Aws.StepFunctions.GetExecutionHistoryAsync(new GetExecutionHistoryRequest(started.ExecutionArn)).ToListAsync();

        Assert.Equal("ExecutionStarted", events[0].Type);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Input), JsonNode.Parse(events[0].Detail("input")!)));
        Assert.Equal("ExecutionSucceeded", events[^1].Type);
        Assert.Contains(events, e => e.Type == "TaskStateEntered" && e.Detail("name") == "RequestApproval");
        Assert.Contains(events, e => e.Type == "TaskSucceeded");
        Assert.Equal(events.Select(e => e.Id), events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task An_execution_that_does_not_exist_is_ExecutionDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.StepFunctions.DescribeExecutionAsync(
            new DescribeExecutionRequest($"arn:aws:states:us-east-1:{TestCredentials.AccountId}:execution:duoq-approval:gone")));

        Assert.Equal(AwsErrorCodes.ExecutionDoesNotExist, error.ErrorCode);
        Assert.Equal("states:DescribeExecution", error.Action);
    }

    private async Task<(string StateMachineArn, QueueInbox Inbox)> ApprovalMachineAsync()
    {
        var inbox = await QueueInbox.CreateAsync(Aws.Sqs, "approval-requests");
        var created = await Aws.StepFunctions.CreateStateMachineAsync(new CreateStateMachineRequest("duoq-approval", Definition(inbox.Url), RoleArn));
        return (created.StateMachineArn, inbox);
    }

    private static string Definition(string queueUrl) => new JsonObject
    {
        ["StartAt"] = "RequestApproval",
        ["States"] = new JsonObject
        {
            ["RequestApproval"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                ["HeartbeatSeconds"] = 3600,
                ["Parameters"] = new JsonObject
                {
                    ["QueueUrl"] = queueUrl,
                    ["MessageBody"] = new JsonObject { ["token.$"] = "$$.Task.Token", ["finding.$"] = "$" },
                },
                ["End"] = true,
            },
        },
    }.ToJsonString();

    private static async Task<string> TaskTokenAsync(QueueInbox inbox) =>
        (await inbox.ReceiveJsonAsync()).GetProperty("token").GetString()!;

    private async Task<ExecutionDescription> FinishedAsync(string executionArn)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var described = await Aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(executionArn));
            if (described.Status != ExecutionStatus.Running || DateTime.UtcNow > deadline) return described;
            await Task.Delay(100);
        }
    }
}
