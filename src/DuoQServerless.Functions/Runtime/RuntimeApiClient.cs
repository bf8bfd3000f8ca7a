using System.Globalization;
using System.Text;

namespace DuoQServerless.Functions.Runtime;

/// <summary>What the bootstrap asks of Lambda, in its own words.</summary>
public interface IRuntimeApiClient
{
    /// <summary>Waits for the next invocation (the sandbox is frozen meanwhile).</summary>
    /// <exception cref="HttpRequestException">The Runtime API is gone.</exception>
    /// <exception cref="RuntimeApiException">The Runtime API refused to hand one over.</exception>
    /// <exception cref="InvalidInvocationException">An invocation arrived with unusable headers.</exception>
    Task<Invocation> NextInvocationAsync(CancellationToken cancellationToken);

    Task SendResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken);

    Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken);

    /// <summary>Tells Lambda this process cannot serve invocations; the caller exits next.</summary>
    Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken);
}

/// <summary>The Runtime API over HTTP (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).</summary>
public sealed class RuntimeApiClient(RuntimeApiHttp http) : IRuntimeApiClient
{
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    public async Task<Invocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        var reply = await http.GetAsync("invocation/next", cancellationToken);
        EnsureSuccess("invocation/next", reply);
        var requestId = reply.Header(RequestIdHeader);
        if (string.IsNullOrEmpty(requestId))
            throw new RuntimeApiException("invocation/next", reply.StatusCode, $"no {RequestIdHeader} header");
        if (!long.TryParse(reply.Header(DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs)
            || deadlineMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            throw new InvalidInvocationException(requestId, $"invocation/next answered without a valid {DeadlineHeader} header");
        return new Invocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            reply.Header(FunctionArnHeader) ?? "",
            NullIfEmpty(reply.Header(TraceIdHeader)),
            reply.Body);
    }

    public async Task SendResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken)
    {
        var path = $"invocation/{Uri.EscapeDataString(requestId)}/response";
        EnsureSuccess(path, await http.PostAsync(path, response, [], cancellationToken));
    }

    public async Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        await PostErrorAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public async Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        await PostErrorAsync("init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, Exception error, CancellationToken cancellationToken)
    {
        var report = ErrorReport.From(error);
        var headers = new[] { KeyValuePair.Create(ErrorTypeHeader, report.ErrorType) };
        EnsureSuccess(path, await http.PostAsync(path, report.ToJson(), headers, cancellationToken));
    }

    private static void EnsureSuccess(string operation, RuntimeApiReply reply)
    {
        if (reply.IsSuccess) return;
        var detail = reply.Body.Length > 0 ? Encoding.UTF8.GetString(reply.Body.AsSpan(0, Math.Min(reply.Body.Length, 1024))) : reply.ReasonPhrase ?? "";
        throw new RuntimeApiException(operation, reply.StatusCode, detail);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
