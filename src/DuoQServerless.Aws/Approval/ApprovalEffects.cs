using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Aws.Approval;

/// <summary>The approval workflow's callbacks through our Step Functions client.</summary>
public sealed class StepFunctionsTaskCallbacks(StepFunctionsClient stepFunctions) : ITaskCallbacks
{
    public Task<TaskCallbackOutcome> SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken) =>
        SendAsync(() => stepFunctions.SendTaskSuccessAsync(new SendTaskSuccessRequest(taskToken, outputJson), cancellationToken));

    public Task<TaskCallbackOutcome> SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken) =>
        SendAsync(() => stepFunctions.SendTaskFailureAsync(new SendTaskFailureRequest(taskToken, error, cause), cancellationToken));

    private static async Task<TaskCallbackOutcome> SendAsync(Func<Task> send)
    {
        try
        {
            await send();
            return new TaskCallbackOutcome.Delivered();
        }
        // The execution stopped waiting (timed out, or the token is unknown), or Step Functions is
        // unavailable: the callback page tells the person which.
        catch (AwsApiException e)
        {
            return TaskCallbackOutcome.FromErrorCode(e.ErrorCode, e.ErrorMessage);
        }
    }
}

/// <summary>Sends the approval email through the findings topic.</summary>
public sealed class SnsApprovalMailer(SnsClient sns, string topicArn) : IApprovalMailer
{
    public Task PublishAsync(string subject, string body, CancellationToken cancellationToken) =>
        sns.PublishAsync(new PublishRequest(topicArn, body) { Subject = subject }, cancellationToken);
}
