namespace DuoQServerless.Core.Approval;

/// <summary>
/// Step Functions' task-token callbacks, as the approval callback needs them. The lead's Step
/// Functions client implements it (SendTaskSuccess / SendTaskFailure) and maps errors with
/// <see cref="TaskCallbackOutcome.FromErrorCode"/>.
/// </summary>
public interface ITaskCallbacks
{
    Task<TaskCallbackOutcome> SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken);

    Task<TaskCallbackOutcome> SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken);
}

/// <summary>What Step Functions answered to a callback. Closed.</summary>
public abstract record TaskCallbackOutcome
{
    private TaskCallbackOutcome() { }

    public sealed record Delivered : TaskCallbackOutcome;

    /// <summary>The execution no longer waits on this token (it timed out, ended or was stopped).</summary>
    public sealed record NoLongerWaiting(string Reason) : TaskCallbackOutcome;

    /// <summary>Could not be delivered now (throttled, network, service error); nothing was decided.</summary>
    public sealed record Unavailable(string Reason) : TaskCallbackOutcome;

    /// <summary>
    /// Step Functions error codes for SendTaskSuccess/SendTaskFailure: TaskTimedOut (AWS, also for a
    /// task that already closed), TaskDoesNotExist, and InvalidToken (moto answers it after a timeout)
    /// mean the execution stopped waiting; anything else is worth trying again.
    /// </summary>
    public static TaskCallbackOutcome FromErrorCode(string errorCode, string message) => errorCode switch
    {
        "TaskTimedOut" or "TaskDoesNotExist" or "InvalidToken" => new NoLongerWaiting($"{errorCode}: {message}"),
        _ => new Unavailable($"{errorCode}: {message}"),
    };
}

/// <summary>Publishes the approval email (the lead wires it to SNS Publish on the findings topic).</summary>
public interface IApprovalMailer
{
    Task PublishAsync(string subject, string body, CancellationToken cancellationToken);
}
