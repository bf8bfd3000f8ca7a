using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using DuoQServerless.Functions.Logging;

namespace DuoQServerless.Functions.Validation;

/// <summary>Everything one validator works with; built once per sandbox.</summary>
public sealed record ValidatorServices(
    ValidationTarget Target,
    DuoQSetupGatherer Gatherer,
    ValidationStore Store,
    TrustPolicyStore TrustPolicies,
    IFindingNotifier Notifier,
    TimeProvider Clock);

/// <summary>What one run found and did: the report, how it differs from the last one, and the notification (null when none was due).</summary>
public sealed record ValidatorOutcome(ValidationReport Report, ValidationChange Change, NotifyOutcome? Notification);

/// <summary>
/// One validation: gather, validate, keep a trust policy that passed, store the result, notify
/// when the result changed. The change is claimed by a conditional write before notifying, so
/// two racing runs notify once; a notification that could not be sent gives the claim back, so
/// the next run notifies again instead of the change going unheard.
/// </summary>
public sealed class ValidatorRun(ValidatorServices services)
{
    private const int StoreAttempts = 3;

    public async Task<ValidatorOutcome> RunAsync(ValidatorTrigger trigger, LambdaLogger log, CancellationToken cancellationToken)
    {
        var facts = await services.Gatherer.GatherAsync(services.Target, cancellationToken);
        var now = services.Clock.GetUtcNow();
        var report = DuoQValidator.Validate(facts, now);

        if (report.Checks.Any(c => c.Id == DuoQChecks.TrustPolicy.Id && c.Status == CheckStatus.Pass) && facts.Role is Observation<RoleFacts>.Seen { Value: var role })
        {
            try
            {
                await services.TrustPolicies.SaveGoodAsync(role.Name, role.TrustPolicyDocument, now, cancellationToken); // the IAM guard restores from it
            }
            // Refused or unreachable: the IAM guard keeps the last one it has; the validation goes on.
            catch (Exception e) when (AsAwsFailure(e, cancellationToken) is { } failure)
            {
                log.Error("The good trust policy could not be kept for the IAM guard", ("role", role.Name), ("error", failure));
            }
        }

        try
        {
            return await StoreAndNotifyAsync(report, now, trigger, log, cancellationToken);
        }
        // The audit table refused or could not be reached: whether the result changed is unknown,
        // so it is notified as new rather than kept quiet.
        catch (Exception e) when (AsAwsFailure(e, cancellationToken) is { } failure)
        {
            log.Error("The validation result could not be stored; notifying it as new", ("error", failure));
            var change = ValidationChange.Between(null, report);
            return new ValidatorOutcome(report, change, await services.Notifier.PublishAsync(ValidationNotification.Compose(report, change, trigger.Describe()), cancellationToken));
        }
    }

    /// <summary>AWS's refusal or unreachability as "Code: message"; null for anything else (a bug), which propagates.</summary>
    private static string? AsAwsFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        AwsApiException api => $"{api.ErrorCode}: {api.ErrorMessage}",
        _ => AwsErrors.Translate(e, cancellationToken)?.Message,
    };

    private async Task<ValidatorOutcome> StoreAndNotifyAsync(ValidationReport report, DateTimeOffset now, ValidatorTrigger trigger, LambdaLogger log, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= StoreAttempts; attempt++)
        {
            var previous = await services.Store.GetLastAsync(cancellationToken);
            var change = ValidationChange.Between(previous?.Report, report);
            if (await services.Store.TryReplaceLastAsync(report, previous, now, cancellationToken) is not { } stored)
            {
                log.Info("Another validation stored its result first; comparing with it", ("attempt", attempt));
                continue;
            }
            if (!change.ShouldNotify) return new ValidatorOutcome(report, change, null);

            var sent = await services.Notifier.PublishAsync(ValidationNotification.Compose(report, change, trigger.Describe()), cancellationToken);
            if (sent is NotifyOutcome.NotSent notSent)
            {
                var rolledBack = await services.Store.TryRollBackAsync(stored, previous, now, cancellationToken);
                log.Error("Validation result changed but the notification was not sent", ("error", notSent.Error), ("willRetryNextRun", rolledBack));
            }
            return new ValidatorOutcome(report, change, sent);
        }
        throw new InvalidOperationException($"The validation result could not be stored: {StoreAttempts} other runs stored theirs first");
    }
}
