using System.Net;
using Amazon.Runtime;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// An error answer from an AWS API, whichever client made the call: the project's protocol
/// clients throw it, and <see cref="FromSdk"/> gives a served SDK client's exception the same
/// shape. Callers match on <see cref="ErrorCode"/> (see <see cref="AwsErrorCodes"/>), never on
/// the message text.
/// </summary>
public sealed class AwsApiException : Exception
{
    public AwsApiException(
        string service,
        string operation,
        string errorCode,
        string message,
        HttpStatusCode statusCode,
        string? requestId,
        Exception? innerException = null)
        : base($"{service}:{operation} failed with {errorCode} (HTTP {(int)statusCode}): {message}", innerException)
    {
        Service = service;
        Operation = operation;
        ErrorCode = errorCode;
        ErrorMessage = message;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>The IAM action prefix of the service (<c>iam</c>, <c>rds</c>, <c>states</c>, <c>ec2</c>...).</summary>
    public string Service { get; }

    public string Operation { get; }

    /// <summary>The error code AWS answered, e.g. <c>NoSuchEntity</c>, <c>AccessDenied</c>, <c>Throttling</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>AWS's own message, for people; code never branches on it.</summary>
    public string ErrorMessage { get; }

    public HttpStatusCode StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>The IAM action that failed, e.g. <c>iam:GetRole</c>.</summary>
    public string Action => $"{Service}:{Operation}";

    /// <summary>
    /// Translates a served SDK client's error at the edge, so guards handle one error type.
    /// </summary>
    /// <param name="service">The IAM action prefix of the client that threw (<c>ec2</c>, <c>dynamodb</c>...).</param>
    /// <param name="operation">The API operation, e.g. <c>RevokeSecurityGroupIngress</c>.</param>
    public static AwsApiException FromSdk(AmazonServiceException exception, string service, string operation) =>
        new(
            service,
            operation,
            string.IsNullOrEmpty(exception.ErrorCode) ? exception.StatusCode.ToString() : exception.ErrorCode,
            exception.Message,
            exception.StatusCode,
            string.IsNullOrEmpty(exception.RequestId) ? null : exception.RequestId,
            exception);
}

/// <summary>Error codes the project branches on, spelled once.</summary>
public static class AwsErrorCodes
{
    public const string AccessDenied = "AccessDenied";
    public const string AccessDeniedException = "AccessDeniedException";
    public const string SignatureDoesNotMatch = "SignatureDoesNotMatch";
    public const string InvalidClientTokenId = "InvalidClientTokenId";
    public const string AuthFailure = "AuthFailure";
    public const string Throttling = "Throttling";
    public const string ThrottlingException = "ThrottlingException";

    // IAM
    public const string NoSuchEntity = "NoSuchEntity";
    public const string EntityAlreadyExists = "EntityAlreadyExists";
    public const string MalformedPolicyDocument = "MalformedPolicyDocument";

    // RDS
    public const string DBInstanceNotFound = "DBInstanceNotFound";
    public const string DBClusterNotFound = "DBClusterNotFoundFault";
    public const string DBSnapshotNotFound = "DBSnapshotNotFound";
    public const string DBSnapshotAlreadyExists = "DBSnapshotAlreadyExists";
    public const string DBClusterSnapshotNotFound = "DBClusterSnapshotNotFoundFault";
    public const string DBInstanceAlreadyExists = "DBInstanceAlreadyExists";
    public const string DBClusterAlreadyExists = "DBClusterAlreadyExistsFault";

    // SNS
    public const string NotFound = "NotFound";

    // Step Functions
    public const string InvalidToken = "InvalidToken";
    public const string TaskDoesNotExist = "TaskDoesNotExist";
    public const string TaskTimedOut = "TaskTimedOut";
    public const string ExecutionDoesNotExist = "ExecutionDoesNotExist";
    public const string StateMachineDoesNotExist = "StateMachineDoesNotExist";
}
