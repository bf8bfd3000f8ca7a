using System.Net;
using Amazon.Runtime.Internal;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// When and how long to wait before repeating a failed AWS call: throttling, timeouts and 5xx
/// answers, and connections that failed, up to <see cref="MaxAttempts"/> attempts with
/// full-jitter exponential backoff. Which error codes count as throttling or timeout comes from
/// the SDK's own standard retry policy, so these clients retry exactly what the served SDK
/// clients retry; the SDK's loop itself is bound to its internal request pipeline, so the
/// waiting is done here. <see cref="Wait"/> and <see cref="Jitter"/> are injectable so tests
/// run without sleeping and can see every delay.
/// </summary>
public sealed record AwsRetryPolicy
{
    private static readonly StandardRetryPolicy SdkRules = new(maxRetries: 2);

    /// <summary>The SDK's standard mode: 3 attempts, 100 ms base (500 ms when throttled), 20 s cap.</summary>
    public static AwsRetryPolicy Standard { get; } = new();

    /// <summary>Every call is tried once.</summary>
    public static AwsRetryPolicy None { get; } = new() { MaxAttempts = 1 };

    public int MaxAttempts { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ThrottlingBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(SdkRules.MaxBackoffInMilliseconds);

    /// <summary>Waits between attempts; <see cref="Task.Delay(TimeSpan, CancellationToken)"/> unless a test says otherwise.</summary>
    public Func<TimeSpan, CancellationToken, Task> Wait { get; init; } = Task.Delay;

    /// <summary>A number in [0, 1) scaling each delay, so clients throttled together do not retry together.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public static bool IsThrottling(AwsApiException error) =>
        error.StatusCode == HttpStatusCode.TooManyRequests || SdkRules.ThrottlingErrorCodes.Contains(error.ErrorCode);

    public static bool IsRetryable(AwsApiException error) =>
        IsThrottling(error)
        || SdkRules.TimeoutErrorCodesToRetryOn.Contains(error.ErrorCode)
        || (int)error.StatusCode >= 500;

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the second attempt).</summary>
    public TimeSpan DelayBeforeRetry(int retry, bool throttled)
    {
        var ceiling = (throttled ? ThrottlingBaseDelay : BaseDelay) * Math.Pow(2, Math.Min(retry - 1, 30));
        if (ceiling > MaxDelay) ceiling = MaxDelay;
        return ceiling * Jitter();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the attempts run out.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            bool throttled;
            try
            {
                return await attempt(cancellationToken);
            }
            // A throttled, timed-out or 5xx answer may succeed when repeated; anything else is final.
            catch (AwsApiException error) when (number < MaxAttempts && IsRetryable(error))
            {
                throttled = IsThrottling(error);
            }
            // The connection failed before AWS answered (reset, refused while a load balancer
            // rotates): the request may not have arrived, so it is sent again.
            catch (HttpRequestException) when (number < MaxAttempts)
            {
                throttled = false;
            }
            await Wait(DelayBeforeRetry(number, throttled), cancellationToken);
        }
    }
}
