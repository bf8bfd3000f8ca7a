using System.Text.Json;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Core.Approval;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Approval;

/// <summary>The environment variables of the two approval functions.</summary>
public static class ApprovalVariables
{
    /// <summary>The SSM SecureString holding the link-signing key.</summary>
    public const string KeyParameter = "DUOQ_APPROVAL_KEY_PARAMETER";
    /// <summary>The HTTP API's base URL, for the links in the email.</summary>
    public const string BaseUrl = "DUOQ_APPROVAL_BASE_URL";
}

/// <summary>`request-approval`: SQS messages from the state machine → stored approvals and emails.
/// Answers SQS's partial batch response, so one bad message does not hold back the others.</summary>
public sealed class RequestApprovalHandler(ApprovalRequester requester) : ILambdaHandler
{
    public const string Name = "request-approval";

    public static async Task<ILambdaHandler> CreateAsync(HandlerInit init, CancellationToken cancellationToken)
    {
        var aws = new AwsClientFactory(FunctionAws.Settings(init));
        var links = await ApprovalLinkKey.LoadAsync(aws.Ssm, FunctionVariables.Required(init.Environment, ApprovalVariables.KeyParameter), cancellationToken);
        var store = new ApprovalStore(aws.DynamoDb, FunctionVariables.Required(init.Environment, FunctionVariables.AuditTable));
        var mailer = new SnsApprovalMailer(aws.Sns, FunctionVariables.Required(init.Environment, FunctionVariables.TopicArn));
        var baseUrl = new Uri(FunctionVariables.Required(init.Environment, ApprovalVariables.BaseUrl));
        return new RequestApprovalHandler(new ApprovalRequester(store, links, mailer, baseUrl, init.Clock));
    }

    public async Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken)
    {
        var sqsEvent = @event.Deserialize(ApprovalJson.Default.SqsEvent) ?? throw new InvalidEventException("request-approval takes an SQS event");
        var response = await requester.HandleAsync(sqsEvent, (messageId, error) =>
            context.Logger.Error("Approval request failed; SQS delivers it again, then to the dead-letter queue", ("messageId", messageId), ("error", error)), cancellationToken);
        if (response.BatchItemFailures.Count > 0)
            context.Logger.Error("Some approval requests failed and return to the queue", ("failed", response.BatchItemFailures.Count));
        return JsonSerializer.SerializeToUtf8Bytes(response, ApprovalJson.Default.SqsBatchResponse);
    }
}

/// <summary>`approval-callback`: the HTTP API's GET (confirmation page) and POST (decision).</summary>
public sealed class ApprovalCallbackHandler(ApprovalCallback callback) : ILambdaHandler
{
    public const string Name = "approval-callback";

    public static async Task<ILambdaHandler> CreateAsync(HandlerInit init, CancellationToken cancellationToken)
    {
        var aws = new AwsClientFactory(FunctionAws.Settings(init));
        var links = await ApprovalLinkKey.LoadAsync(aws.Ssm, FunctionVariables.Required(init.Environment, ApprovalVariables.KeyParameter), cancellationToken);
        var store = new ApprovalStore(aws.DynamoDb, FunctionVariables.Required(init.Environment, FunctionVariables.AuditTable));
        return new ApprovalCallbackHandler(new ApprovalCallback(store, new StepFunctionsTaskCallbacks(aws.StepFunctions), links, init.Clock));
    }

    public async Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken)
    {
        var request = @event.Deserialize(ApprovalJson.Default.HttpApiRequest) ?? throw new InvalidEventException("approval-callback takes an HTTP API (payload 2.0) event");
        var response = await callback.HandleAsync(request.ToCallbackRequest(), cancellationToken);
        if (response.Problem is { } problem)
            context.Logger.Error("Approval callback could not decide; the person may try again", ("method", request.RequestContext?.Http?.Method), ("status", response.StatusCode), ("problem", problem));
        else
            context.Logger.Info("Approval callback answered", ("method", request.RequestContext?.Http?.Method), ("status", response.StatusCode));
        return JsonSerializer.SerializeToUtf8Bytes(HttpApiResponse.From(response), ApprovalJson.Default.HttpApiResponse);
    }
}
