using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.StepFunctions;

/// <summary>
/// The Step Functions operations the approval flow uses, over the JSON 1.0 protocol
/// (<c>X-Amz-Target: AWSStepFunctions.{Operation}</c>). Errors are <see cref="AwsApiException"/>
/// with Step Functions' codes (InvalidToken, TaskTimedOut, TaskDoesNotExist, ExecutionDoesNotExist...).
/// </summary>
public sealed class StepFunctionsClient
{
    private static readonly StepFunctionsJsonContext Types = StepFunctionsJsonContext.Default;

    internal StepFunctionsClient(JsonProtocolClient json) => Json = json;

    public JsonProtocolClient Json { get; }

    public Task<StartExecutionResponse> StartExecutionAsync(StartExecutionRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("StartExecution", request, Types.StartExecutionRequest, Types.StartExecutionResponse, cancellationToken);

    public Task<ExecutionDescription> DescribeExecutionAsync(DescribeExecutionRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("DescribeExecution", request, Types.DescribeExecutionRequest, Types.ExecutionDescription, cancellationToken);

    /// <summary>Completes a task waiting for its token (<c>.waitForTaskToken</c>) with an output.</summary>
    public Task SendTaskSuccessAsync(SendTaskSuccessRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("SendTaskSuccess", request, Types.SendTaskSuccessRequest, Types.EmptyResponse, cancellationToken);

    public Task SendTaskFailureAsync(SendTaskFailureRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("SendTaskFailure", request, Types.SendTaskFailureRequest, Types.EmptyResponse, cancellationToken);

    public Task SendTaskHeartbeatAsync(SendTaskHeartbeatRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("SendTaskHeartbeat", request, Types.SendTaskHeartbeatRequest, Types.EmptyResponse, cancellationToken);

    public Task<StopExecutionResponse> StopExecutionAsync(StopExecutionRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("StopExecution", request, Types.StopExecutionRequest, Types.StopExecutionResponse, cancellationToken);

    public Task<CreateStateMachineResponse> CreateStateMachineAsync(CreateStateMachineRequest request, CancellationToken cancellationToken = default) =>
        Json.InvokeAsync("CreateStateMachine", request, Types.CreateStateMachineRequest, Types.CreateStateMachineResponse, cancellationToken);

    /// <summary>Every event of an execution, oldest first unless <see cref="GetExecutionHistoryRequest.ReverseOrder"/>.</summary>
    public IAsyncEnumerable<HistoryEvent> GetExecutionHistoryAsync(GetExecutionHistoryRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (token, cancel) =>
        {
            var page = new GetExecutionHistoryPage(request.ExecutionArn, request.ReverseOrder, request.IncludeExecutionData, request.PageSize, token);
            var response = await Json.InvokeAsync("GetExecutionHistory", page, Types.GetExecutionHistoryPage, Types.GetExecutionHistoryResponse, cancel, request);
            return new Page<HistoryEvent>(response.Events ?? [], string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
        }, cancellationToken);
}
