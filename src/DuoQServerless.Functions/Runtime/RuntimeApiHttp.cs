using System.Net.Http.Headers;

namespace DuoQServerless.Functions.Runtime;

/// <summary>One answer of the Runtime API: status, headers and the whole body.</summary>
public sealed record RuntimeApiReply(int StatusCode, string? ReasonPhrase, HttpResponseHeaders Headers, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// The lower layer: plain GET and POST on http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/.
/// It knows paths and bytes, not what they mean; <see cref="RuntimeApiClient"/> does.
/// HTTP failures (connection refused or reset) propagate as HttpRequestException.
/// </summary>
public sealed class RuntimeApiHttp
{
    private readonly HttpClient _http;
    private readonly Uri _base;

    public RuntimeApiHttp(HttpClient http, string runtimeApi)
    {
        _http = http;
        _base = new Uri($"http://{runtimeApi}/2018-06-01/runtime/");
    }

    /// <summary>
    /// An HttpClient fit for the Runtime API: no timeout (invocation/next waits as long as the
    /// sandbox is frozen) and no proxy (HTTP_PROXY set for the function's own traffic must not
    /// capture the local API).
    /// </summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public async Task<RuntimeApiReply> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        return await SendAsync(request, cancellationToken);
    }

    public async Task<RuntimeApiReply> PostAsync(
        string path, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await SendAsync(request, cancellationToken);
    }

    private async Task<RuntimeApiReply> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new RuntimeApiReply((int)response.StatusCode, response.ReasonPhrase, response.Headers, body);
    }
}
