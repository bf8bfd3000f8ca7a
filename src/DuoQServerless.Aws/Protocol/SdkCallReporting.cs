using Amazon.Runtime;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// Makes a served SDK client report its calls to the same observer as our clients, through
/// the client's own response and exception events (per client, no global pipeline state).
/// </summary>
public static class SdkCallReporting
{
    /// <param name="service">The IAM action prefix of the client (<c>ec2</c>, <c>dynamodb</c>...).</param>
    public static void Attach(AmazonServiceClient client, string service, IAwsCallObserver observer)
    {
        var region = client.Config.RegionEndpoint?.SystemName ?? client.Config.AuthenticationRegion ?? "";
        client.AfterResponseEvent += (_, e) =>
        {
            if (e is WebServiceResponseEventArgs response)
                observer.OnCall(new AwsCall(service, OperationName(response.Request), response.Request, null) { Region = region });
        };
        client.ExceptionEvent += (_, e) =>
        {
            if (e is WebServiceExceptionEventArgs failure)
                observer.OnCall(new AwsCall(service, OperationName(failure.Request), failure.Request, ErrorCode(failure.Exception)) { Region = region });
        };
    }

    /// <summary>The API operation of an SDK request: <c>DescribeSecurityGroupsRequest</c> is <c>DescribeSecurityGroups</c>.</summary>
    public static string OperationName(AmazonWebServiceRequest? request)
    {
        var name = request?.GetType().Name ?? "Unknown";
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }

    private static string ErrorCode(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } => code,
        AmazonServiceException service => service.StatusCode.ToString(),
        _ => exception.GetType().Name,
    };
}
