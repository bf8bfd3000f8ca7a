using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Approval;

/// <summary>Source-generated JSON for everything the approval workflow reads or writes (AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApprovalExecutionInput))]
[JsonSerializable(typeof(ApprovalRequestMessage))]
[JsonSerializable(typeof(ApprovalTaskOutput))]
[JsonSerializable(typeof(RejectionCause))]
[JsonSerializable(typeof(ApprovalSummary))]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class ApprovalJson : JsonSerializerContext;
