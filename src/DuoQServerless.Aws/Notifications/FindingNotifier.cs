using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Notifications;

/// <summary>Tells people about a finding. Answers why it could not, rather than throwing: a
/// notification that fails must never undo what was recorded or reverted.</summary>
public interface IFindingNotifier
{
    Task<NotifyOutcome> PublishAsync(Notification notification, CancellationToken cancellationToken);
}

public abstract record NotifyOutcome
{
    private NotifyOutcome() { }

    public sealed record Sent(string MessageId) : NotifyOutcome;

    public sealed record NotSent(string Error) : NotifyOutcome;
}

/// <summary>Publishes to the findings topic, with risk, severity and action as message attributes
/// so subscribers can filter.</summary>
public sealed class SnsFindingNotifier(SnsClient sns, string topicArn) : IFindingNotifier
{
    public async Task<NotifyOutcome> PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        try
        {
            var response = await sns.PublishAsync(new PublishRequest(topicArn, notification.Body)
            {
                Subject = notification.Subject,
                MessageAttributes = notification.Attributes.ToDictionary(a => a.Key, a => new SnsMessageAttribute("String", a.Value, null)),
            }, cancellationToken);
            return new NotifyOutcome.Sent(response.MessageId);
        }
        // SNS refused or was unreachable after retries: the caller logs it; the finding stays recorded.
        catch (AwsApiException e)
        {
            return new NotifyOutcome.NotSent($"{e.ErrorCode}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new NotifyOutcome.NotSent($"unreachable: {e.Message}");
        }
    }
}
