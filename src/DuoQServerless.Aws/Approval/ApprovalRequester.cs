using System.Text.Json;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Aws.Approval;

/// <summary>
/// The request-approval function's logic: for each message RequestApproval sent to the
/// approval-requests queue, store the task token under a new approval id, sign the approve and
/// reject links and publish the email. Messages that fail are reported as batch item failures,
/// so SQS retries only those (and moves them to the DLQ after maxReceiveCount).
/// </summary>
public sealed class ApprovalRequester(ApprovalStore store, ApprovalLink links, IApprovalMailer mailer, Uri apiBaseUrl, TimeProvider time)
{
    /// <param name="failed">Told each failed message's id and why ("AccessDenied: ..."), for the log.</param>
    public async Task<SqsBatchResponse> HandleAsync(SqsEvent sqsEvent, Action<string, string>? failed = null, CancellationToken cancellationToken = default)
    {
        var response = new SqsBatchResponse();
        foreach (var message in sqsEvent.Records)
        {
            try
            {
                var request = JsonSerializer.Deserialize(message.Body, ApprovalJson.Default.ApprovalRequestMessage)
                    ?? throw new InvalidDataException("the message body is null");
                await RequestAsync(request, cancellationToken);
            }
            // One bad or failing message must not fail the others: SQS retries just this one.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                response.BatchItemFailures.Add(new SqsBatchItemFailure(message.MessageId));
                failed?.Invoke(message.MessageId, e switch
                {
                    Protocol.AwsApiException api => $"{api.ErrorCode}: {api.ErrorMessage}",
                    _ => Guards.AwsErrors.Translate(e, cancellationToken)?.Message ?? $"{e.GetType().Name}: {e.Message}",
                });
            }
        }
        return response;
    }

    /// <summary>Creates the approval and publishes its email; returns the stored approval.</summary>
    public async Task<ApprovalRecord> RequestAsync(ApprovalRequestMessage message, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(message.TaskToken)) throw new InvalidDataException("the message has no task token");
        if (string.IsNullOrEmpty(message.GuardFunctionArn)) throw new InvalidDataException("the message has no guard function ARN");
        if (message.TimeoutSeconds <= 0) throw new InvalidDataException($"timeoutSeconds must be positive, not {message.TimeoutSeconds}");

        var now = time.GetUtcNow();
        var approval = new ApprovalRecord
        {
            ApprovalId = ApprovalIds.New(),
            TaskToken = message.TaskToken,
            ExecutionArn = message.ExecutionArn,
            GuardFunctionArn = message.GuardFunctionArn,
            Summary = message.ApprovalSummary,
            FindingJson = message.Finding.GetRawText(),
            TimeoutMeans = message.TimeoutMeans,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(message.TimeoutSeconds),
        };
        await store.CreateAsync(approval, cancellationToken);

        var approve = links.Create(apiBaseUrl, approval.ApprovalId, ApprovalDecision.Approve, approval.ExpiresAt);
        var reject = links.Create(apiBaseUrl, approval.ApprovalId, ApprovalDecision.Reject, approval.ExpiresAt);
        var email = ApprovalEmail.Compose(approval, approve, reject, now);
        await mailer.PublishAsync(email.Subject, email.Body, cancellationToken);
        return approval;
    }
}
