using System.Text.Json.Serialization;

namespace DuoQServerless.Aws.StepFunctions;

/// <summary>Source-generated JSON for every Step Functions body: no reflection, so AOT- and trim-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StartExecutionRequest))]
[JsonSerializable(typeof(StartExecutionResponse))]
[JsonSerializable(typeof(DescribeExecutionRequest))]
[JsonSerializable(typeof(ExecutionDescription))]
[JsonSerializable(typeof(SendTaskSuccessRequest))]
[JsonSerializable(typeof(SendTaskFailureRequest))]
[JsonSerializable(typeof(SendTaskHeartbeatRequest))]
[JsonSerializable(typeof(StopExecutionRequest))]
[JsonSerializable(typeof(StopExecutionResponse))]
[JsonSerializable(typeof(CreateStateMachineRequest))]
[JsonSerializable(typeof(CreateStateMachineResponse))]
[JsonSerializable(typeof(GetExecutionHistoryPage))]
[JsonSerializable(typeof(GetExecutionHistoryResponse))]
[JsonSerializable(typeof(EmptyResponse))]
internal sealed partial class StepFunctionsJsonContext : JsonSerializerContext;
