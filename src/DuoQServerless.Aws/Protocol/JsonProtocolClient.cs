using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// The AWS JSON 1.0 protocol (Step Functions): a POST of the request as JSON with
/// <c>X-Amz-Target: {prefix}.{Operation}</c> and <c>Content-Type: application/x-amz-json-1.0</c>,
/// answered with JSON or a JSON error (<c>{"__type": "...#Code", "message": "..."}</c>).
/// Bodies go through source-generated type info only, so the client is trim- and AOT-safe.
/// </summary>
public sealed class JsonProtocolClient
{
    private const string JsonContentType = "application/x-amz-json-1.0";
    private readonly SignedAwsTransport _transport;

    internal JsonProtocolClient(AwsService service, AwsEndpoint endpoint, SignedAwsTransport transport)
    {
        if (service.JsonTargetPrefix is null) throw new ArgumentException($"{service} is not a JSON protocol service", nameof(service));
        Service = service;
        Endpoint = endpoint;
        _transport = transport;
    }

    public AwsService Service { get; }

    public AwsEndpoint Endpoint { get; }

    /// <param name="reportedRequest">What the observer is shown instead of <paramref name="request"/>
    /// (a paged call reports the caller's request, not the page it sends).</param>
    public async Task<TResponse> InvokeAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken = default,
        object? reportedRequest = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var response = await _transport.SendAsync(
            new AwsHttpRequest(Service, operation, reportedRequest ?? request, Endpoint, body, JsonContentType, $"{Service.JsonTargetPrefix}.{operation}"),
            answer => AwsErrorBodies.FromJson(Service, operation, answer),
            cancellationToken);
        var json = response.Body.Length == 0 ? "{}"u8.ToArray() : response.Body;
        return JsonSerializer.Deserialize(json, responseType)
            ?? throw new FormatException($"{Service}:{operation} answered null");
    }
}
