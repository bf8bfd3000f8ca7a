namespace DuoQServerless.Core.Notifications;

/// <summary>What came of carrying out a decision, as the notification reports it.</summary>
public abstract record ActionResult
{
    private ActionResult() { }

    /// <summary>The action happened: the revert was made, or the approval execution started.</summary>
    public sealed record Done(string Detail) : ActionResult;

    /// <summary>Nothing needed doing: the resource was already as the revert would leave it
    /// (an event delivered late or twice, a rule already gone).</summary>
    public sealed record AlreadyDone(string Detail) : ActionResult;

    /// <summary>The action was tried and failed; the finding stays open.</summary>
    public sealed record Failed(string Error) : ActionResult;

    /// <summary>No action was taken: notify-only, ignored, or a dry run.</summary>
    public sealed record NotTaken : ActionResult;
}
