using System.Globalization;
using Amazon.Runtime;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// The guard accounts' edge for SDK errors: a change answers <see cref="ActionResult.Failed"/>
/// with AWS's own error code ("UnauthorizedOperation: You are not authorized ..."), and a read
/// that cannot answer throws <see cref="AwsCallException"/>, so no SDK exception type leaks upward.
/// </summary>
public static class AwsErrors
{
    /// <summary>"&lt;code&gt;: &lt;message&gt;", as the audit item and the notification show it.</summary>
    public static string Describe(AmazonServiceException error) => $"{CodeOf(error)}: {error.Message}";

    public static string CodeOf(AmazonServiceException error) =>
        error.ErrorCode ?? ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture);

    public static bool HasCode(AmazonServiceException error, params ReadOnlySpan<string> codes)
    {
        foreach (var code in codes)
            if (string.Equals(error.ErrorCode, code, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Runs a change against the account; whatever AWS or the way to it refused becomes
    /// <see cref="ActionResult.Failed"/>. The caller's own cancellation still ends the call.</summary>
    public static async Task<ActionResult> ResultOfAsync(Func<Task<ActionResult>> change, CancellationToken cancellationToken)
    {
        try
        {
            return await change();
        }
        catch (Exception error) when (Translate(error, cancellationToken) is { } translated)
        {
            // A refused or unreachable call is an outcome the finding records, not a crash.
            return new ActionResult.Failed(translated.Message);
        }
    }

    /// <summary>Runs a read; whatever AWS or the way to it refused becomes <see cref="AwsCallException"/>.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read();
        }
        catch (Exception error) when (Translate(error, cancellationToken) is { } translated)
        {
            // Callers see one exception type with AWS's code, never the SDK's own types.
            throw translated;
        }
    }

    /// <summary>The SDK's failures as one exception with a code; null for anything else (bugs,
    /// the caller's cancellation), which must keep propagating as it is.</summary>
    public static AwsCallException? Translate(Exception error, CancellationToken cancellationToken) => error switch
    {
        AwsCallException already => already,
        AmazonServiceException service => new AwsCallException(CodeOf(service), Describe(service), service),
        AmazonClientException client => new AwsCallException("ClientError", $"ClientError: {client.Message}", client),
        HttpRequestException network => new AwsCallException("NetworkError", $"NetworkError: {network.Message}", network),
        // The SDK's own HTTP timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException timeout when !cancellationToken.IsCancellationRequested =>
            new AwsCallException("Timeout", $"Timeout: {timeout.Message}", timeout),
        _ => null,
    };
}

/// <summary>An AWS call that failed, with AWS's error code (or ClientError, NetworkError, Timeout).</summary>
public sealed class AwsCallException(string code, string message, Exception inner) : Exception(message, inner)
{
    public string Code { get; } = code;
}

