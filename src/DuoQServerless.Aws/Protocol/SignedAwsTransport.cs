using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace DuoQServerless.Aws.Protocol;

/// <summary>One signed POST to an AWS service, described before it is sent.</summary>
/// <param name="Request">What the caller asked for, handed to the observer (our request record).</param>
/// <param name="Target">The <c>X-Amz-Target</c> header of a JSON protocol call.</param>
internal sealed record AwsHttpRequest(
    AwsService Service,
    string Operation,
    object? Request,
    AwsEndpoint Endpoint,
    byte[] Body,
    string ContentType,
    string? Target = null,
    QueryParameters? Parameters = null);

/// <summary>What the service answered, whatever the status.</summary>
/// <param name="RequestId">From the response headers, when AWS sent one there.</param>
/// <param name="ErrorType">The <c>X-Amzn-ErrorType</c> header, a fallback error code.</param>
internal sealed record AwsHttpResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, string? ErrorType)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}

/// <summary>
/// The single path every call of the project's protocol clients takes: resolve credentials,
/// sign with AWSSDK.Core's SigV4 signer (payload signed, also over plain HTTP), send, turn an
/// error answer into <see cref="AwsApiException"/>, retry by the policy, and report the
/// finished call to the observer.
/// </summary>
internal sealed class SignedAwsTransport(
    HttpClient http,
    AwsCredentialSource credentials,
    AwsRetryPolicy retry,
    IAwsCallObserver? observer,
    TimeProvider clock)
{
    public async Task<AwsHttpResponse> SendAsync(
        AwsHttpRequest request,
        Func<AwsHttpResponse, AwsApiException> readError,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = await retry.ExecuteAsync(async token =>
            {
                var answer = await SendOnceAsync(request, token);
                return answer.IsSuccess ? answer : throw readError(answer);
            }, cancellationToken);
            observer?.OnCall(Observed(request, null));
            return response;
        }
        // Caught only to tell the observer that the call failed and with which code (an
        // AccessDenied is evidence of a missing permission); the error goes on unchanged.
        catch (AwsApiException error)
        {
            observer?.OnCall(Observed(request, error.ErrorCode));
            throw;
        }
    }

    private static AwsCall Observed(AwsHttpRequest request, string? errorCode) =>
        new(request.Service.SigningName, request.Operation, request.Request, errorCode)
        {
            Region = request.Endpoint.SigningRegion.SystemName,
            Parameters = request.Parameters,
        };

    private async Task<AwsHttpResponse> SendOnceAsync(AwsHttpRequest request, CancellationToken cancellationToken)
    {
        var url = request.Endpoint.Url;
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = url, Content = request.Body };
        signing.Headers["Content-Type"] = request.ContentType;
        if (request.Target is not null) signing.Headers["X-Amz-Target"] = request.Target;
        var signature = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = await credentials.GetAsync(cancellationToken),
            Region = request.Endpoint.SigningRegion,
            Service = request.Service.SigningName,
            SignPayload = true,
            SignedAt = clock.GetUtcNow().UtcDateTime,
        }, cancellationToken);

        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(request.Body) };
        // Sent byte for byte as signed: a reformatted Content-Type would break the signature.
        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        if (request.Target is not null) message.Headers.TryAddWithoutValidation("X-Amz-Target", request.Target);
        foreach (var (name, value) in signature.Headers) message.Headers.TryAddWithoutValidation(name, value);

        using var response = await http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new AwsHttpResponse(
            response.StatusCode,
            body,
            Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id"),
            Header(response, "X-Amzn-ErrorType"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// The credentials every call signs with: the ones configured, or AWSSDK.Core's default chain
/// (environment as Lambda sets it, profiles, container and instance metadata), resolved once.
/// The resolved object refreshes temporary credentials itself.
/// </summary>
internal sealed class AwsCredentialSource(AWSCredentials? configured)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AWSCredentials? _resolved = configured;

    public async ValueTask<AWSCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_resolved is { } ready) return ready;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A failed resolution is not kept: the next call tries the chain again.
            return _resolved ??= await new DefaultAWSCredentialsIdentityResolver().ResolveIdentityAsync(null!, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
