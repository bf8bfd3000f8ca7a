using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime.Signing;
using DuoQServerless.Core.Approval;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Approval;

// TEMPORARY — REPLACE when the awsclients branch is merged: these stand in for the project's
// signed Step Functions (JSON 1.0) and SNS (Query) clients, which NuGet does not serve. They
// sign with AWSSDK.Core's SigV4SigningHandler, implement only what the approval specs call, and
// live in the test project only. Swap StepFunctionsTestClient for the src Step Functions client
// (it must implement ITaskCallbacks) and SnsTestClient for the src SNS client (IApprovalMailer).

/// <summary>TEMPORARY: Step Functions over JSON 1.0, signed, against moto.</summary>
internal sealed class StepFunctionsTestClient(Uri endpoint) : ITaskCallbacks, IDisposable
{
    private readonly HttpClient _http = new(new SigV4SigningHandler(TestCredentials.Default, RegionEndpoint.USEast1, "states", new HttpClientHandler()))
    {
        BaseAddress = endpoint,
    };

    public async Task<string> CreateStateMachineAsync(string name, string definition)
    {
        var answer = await CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name, ["definition"] = definition, ["roleArn"] = $"arn:aws:iam::{TestCredentials.AccountId}:role/duoq-approval",
        });
        return answer["stateMachineArn"]!.GetValue<string>();
    }

    public async Task<string> StartExecutionAsync(string stateMachineArn, string name, string input) =>
        (await CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = stateMachineArn, ["name"] = name, ["input"] = input }))["executionArn"]!.GetValue<string>();

    public Task<JsonNode> DescribeExecutionAsync(string executionArn) => CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn });

    public async Task<JsonArray> GetExecutionHistoryAsync(string executionArn) =>
        (await CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = executionArn, ["maxResults"] = 1000 }))["events"]!.AsArray();

    /// <summary>Polls until the execution leaves RUNNING.</summary>
    public async Task<JsonNode> WaitForEndAsync(string executionArn, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var execution = await DescribeExecutionAsync(executionArn);
            if (execution["status"]!.GetValue<string>() != "RUNNING" || DateTime.UtcNow > deadline) return execution;
            await Task.Delay(200);
        }
    }

    public Task<TaskCallbackOutcome> SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken) =>
        SendAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = taskToken, ["output"] = outputJson }, cancellationToken);

    public Task<TaskCallbackOutcome> SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken) =>
        SendAsync("SendTaskFailure", new JsonObject { ["taskToken"] = taskToken, ["error"] = error, ["cause"] = cause }, cancellationToken);

    private async Task<TaskCallbackOutcome> SendAsync(string action, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(action, body, cancellationToken);
        if (response.IsSuccessStatusCode) return new TaskCallbackOutcome.Delivered();
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var code = error["__type"]!.GetValue<string>().Split('#')[^1];
        return TaskCallbackOutcome.FromErrorCode(code, error["message"]?.GetValue<string>() ?? "");
    }

    private async Task<JsonNode> CallAsync(string action, JsonObject body)
    {
        using var response = await PostAsync(action, body, CancellationToken.None);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{action} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private Task<HttpResponseMessage> PostAsync(string action, JsonObject body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", $"AWSStepFunctions.{action}");
        return _http.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>TEMPORARY: SNS over the Query protocol, signed, against moto.</summary>
internal sealed class SnsTestClient(Uri endpoint) : IApprovalMailer, IDisposable
{
    private static readonly XNamespace Ns = "http://sns.amazonaws.com/doc/2010-03-31/";
    private readonly HttpClient _http = new(new SigV4SigningHandler(TestCredentials.Default, RegionEndpoint.USEast1, "sns", new HttpClientHandler()))
    {
        BaseAddress = endpoint,
    };

    /// <summary>The topic approval emails go to (set after <see cref="CreateTopicAsync"/>).</summary>
    public string? TopicArn { get; set; }

    public async Task<string> CreateTopicAsync(string name) =>
        (await CallAsync("CreateTopic", ("Name", name))).Descendants(Ns + "TopicArn").Single().Value;

    public Task SubscribeQueueAsync(string topicArn, string queueArn) =>
        CallAsync("Subscribe", ("TopicArn", topicArn), ("Protocol", "sqs"), ("Endpoint", queueArn));

    public Task PublishAsync(string subject, string body, CancellationToken cancellationToken) =>
        CallAsync("Publish", ("TopicArn", TopicArn ?? throw new InvalidOperationException("no topic")), ("Subject", subject), ("Message", body));

    private async Task<XDocument> CallAsync(string action, params (string Name, string Value)[] parameters)
    {
        var form = new FormUrlEncodedContent([new("Action", action), new("Version", "2010-03-31"), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        using var response = await _http.PostAsync("/", form);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{action} answered {(int)response.StatusCode}: {text}");
        return XDocument.Parse(text);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An SNS notification as it arrives in a subscribed SQS queue.</summary>
internal sealed record Notification(string Subject, string Message)
{
    public static Notification FromQueueBody(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return new Notification(doc.RootElement.GetProperty("Subject").GetString() ?? "", doc.RootElement.GetProperty("Message").GetString() ?? "");
    }
}
