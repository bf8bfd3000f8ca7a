using Amazon.Runtime;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Aws.Validation;

/// <summary>
/// Turns one AWS read into an observation: what was read is Seen; a "no such thing" answer is
/// Absent; refused, throttled, unreachable or timed out is Unavailable, naming the action so the
/// report says which permission the validator lacks. AWS errors are translated here, at the edge.
/// </summary>
internal static class AwsObservation
{
    /// <summary>Error codes that mean the thing looked for does not exist.</summary>
    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        AwsErrorCodes.NoSuchEntity,     // IAM
        "NotFoundException",            // KMS
        "InvalidGroup.NotFound",        // EC2
        "ParameterNotFound",            // SSM
        AwsErrorCodes.NotFound,
    };

    /// <summary>Error codes that mean the validator's own identity may not make the call.</summary>
    private static readonly HashSet<string> DeniedCodes = new(StringComparer.Ordinal)
    {
        AwsErrorCodes.AccessDenied,
        AwsErrorCodes.AccessDeniedException,
        "UnauthorizedOperation",        // EC2
        "UnauthorizedAccess",
    };

    public static async Task<Observation<T>> ReadAsync<T>(Func<CancellationToken, Task<Observation<T>>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read(cancellationToken);
        }
        // AWS answered with an error: it says whether the thing is missing or the call was refused.
        catch (AwsApiException e)
        {
            return FromError<T>(e);
        }
        // No answer at all after the client's retries: the thing may well exist, the validator cannot tell.
        catch (HttpRequestException e)
        {
            return Observe.Unavailable<T>($"AWS did not answer: {e.Message}");
        }
        // The HTTP timeout fired (not our caller's cancellation, which must propagate).
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Observe.Unavailable<T>("AWS did not answer in time");
        }
        // The SDK could not even send the call (no credentials, a bad endpoint): nothing was learned.
        catch (AmazonClientException e)
        {
            return Observe.Unavailable<T>($"the call could not be made: {e.Message}");
        }
    }

    public static Observation<T> FromError<T>(AwsApiException e)
    {
        if (NotFoundCodes.Contains(e.ErrorCode)) return Observe.Absent<T>($"{e.Action} answered {e.ErrorCode}: {e.ErrorMessage}");
        if (DeniedCodes.Contains(e.ErrorCode))
            return Observe.Unavailable<T>($"{e.ErrorCode}: the validator may not call {e.Action} (give its role {e.Action}); AWS said: {e.ErrorMessage}");
        return Observe.Unavailable<T>($"{e.Action} failed with {e.ErrorCode}: {e.ErrorMessage}");
    }

    /// <summary>Runs a served SDK client's call and gives its error our shape, so one catch handles every client.</summary>
    /// <param name="service">The IAM action prefix: <c>kms</c>, <c>ec2</c>, <c>ssm</c>, <c>sts</c>.</param>
    public static async Task<TResponse> SdkAsync<TResponse>(string service, string operation, Func<Task<TResponse>> call)
    {
        try
        {
            return await call();
        }
        // Translated at the edge: callers never see an SDK exception type.
        catch (AmazonServiceException e)
        {
            throw AwsApiException.FromSdk(e, service, operation);
        }
    }
}
