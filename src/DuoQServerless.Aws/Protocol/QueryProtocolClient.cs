using System.Net;
using System.Xml;
using System.Xml.Linq;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// The AWS Query protocol shared by IAM, RDS and SNS: a form-encoded POST carrying
/// <c>Action</c> and <c>Version</c>, answered with XML (<c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;</c>)
/// or an XML error. The typed clients sit on top; tests and the demo may call other actions
/// directly for set-up.
/// </summary>
public sealed class QueryProtocolClient
{
    private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private readonly SignedAwsTransport _transport;

    internal QueryProtocolClient(AwsService service, AwsEndpoint endpoint, SignedAwsTransport transport)
    {
        Service = service;
        Endpoint = endpoint;
        _transport = transport;
    }

    public AwsService Service { get; }

    public AwsEndpoint Endpoint { get; }

    /// <summary>Calls <paramref name="action"/> and returns its <c>&lt;{action}Result&gt;</c> element (empty when the action returns nothing).</summary>
    /// <param name="request">The typed request, for the observer; the parameters themselves when null.</param>
    public async Task<XElement> InvokeAsync(
        string action,
        QueryParameters parameters,
        object? request = null,
        CancellationToken cancellationToken = default)
    {
        var body = parameters.ToFormBody(action, Service.ApiVersion);
        var response = await _transport.SendAsync(
            new AwsHttpRequest(Service, action, request ?? parameters, Endpoint, body, FormContentType),
            answer => ReadError(action, answer),
            cancellationToken);
        if (response.Body.Length == 0) return new XElement(action + "Result");
        var root = QueryXml.Parse(response.Body);
        return root.Child(action + "Result") ?? new XElement(root.Name.Namespace + (action + "Result"));
    }

    /// <summary>
    /// AWS answers <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code&gt;</c>; moto's authentication errors add an
    /// <c>&lt;Errors&gt;</c> level, so the first Error element holding a Code is taken.
    /// </summary>
    private AwsApiException ReadError(string action, AwsHttpResponse response)
    {
        string? code = null, message = null, requestId = response.RequestId;
        try
        {
            var root = QueryXml.Parse(response.Body);
            var error = root.DescendantsAndSelf()
                .FirstOrDefault(e => e.Name.LocalName == "Error" && e.Child("Code") is not null);
            code = error?.Text("Code");
            message = error?.Text("Message");
            requestId ??= root.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value;
        }
        // A proxy or load balancer may answer with HTML or nothing at all: then the status
        // code (and the X-Amzn-ErrorType header, if any) is all there is to go on.
        catch (XmlException)
        {
        }
        return new AwsApiException(
            Service.SigningName,
            action,
            code ?? ErrorTypeCode(response.ErrorType) ?? StatusCode(response.StatusCode),
            message ?? string.Empty,
            response.StatusCode,
            requestId);
    }

    internal static string? ErrorTypeCode(string? errorType)
    {
        // Smithy: drop anything after ':' and anything up to '#' ("ns#Code:http://..." -> "Code").
        if (string.IsNullOrWhiteSpace(errorType)) return null;
        var code = errorType;
        var colon = code.IndexOf(':');
        if (colon >= 0) code = code[..colon];
        var hash = code.IndexOf('#');
        if (hash >= 0) code = code[(hash + 1)..];
        return code.Length == 0 ? null : code;
    }

    internal static string StatusCode(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : $"Http{(int)status}";
}
