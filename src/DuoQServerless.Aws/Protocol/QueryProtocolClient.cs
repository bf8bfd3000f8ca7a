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
            new AwsHttpRequest(Service, action, request ?? parameters, Endpoint, body, FormContentType, Parameters: parameters),
            answer => AwsErrorBodies.FromXml(Service, action, answer),
            cancellationToken);
        if (response.Body.Length == 0) return new XElement(action + "Result");
        var root = QueryXml.Parse(response.Body);
        return root.Child(action + "Result") ?? new XElement(root.Name.Namespace + (action + "Result"));
    }
}
