namespace DuoQServerless.Core.Notifications;

/// <summary>One SNS message: subject (at most 100 ASCII characters, no line breaks), body, and
/// the message attributes subscribers filter on (risk, severity, action, dryRun).</summary>
public sealed record Notification(string Subject, string Body, IReadOnlyDictionary<string, string> Attributes)
{
    public const int MaxSubjectLength = 100;
}
