namespace DuoQServerless.Functions.Runtime;

/// <summary>
/// Thrown by a handler for an event it does not handle (wrong shape, missing fields). The
/// invocation fails with this type as errorType; the function goes on with the next one.
/// </summary>
public sealed class InvalidEventException(string message) : Exception(message);

/// <summary>The event body is not JSON: no handler sees it, the invocation fails with this type.</summary>
public sealed class MalformedEventException(string message, Exception inner) : Exception(message, inner);

/// <summary>_HANDLER is missing or names no registered handler: an init error naming the known ones.</summary>
public sealed class UnknownHandlerException(string? name, IReadOnlyList<string> knownHandlers)
    : Exception(name is null or ""
        ? $"{RuntimeVariables.Handler} is not set; known handlers: {string.Join(", ", knownHandlers)}"
        : $"{RuntimeVariables.Handler} \"{name}\" is not a known handler; known handlers: {string.Join(", ", knownHandlers)}")
{
    public string? Name => name;

    public IReadOnlyList<string> KnownHandlers => knownHandlers;
}

/// <summary>
/// The Runtime API answered with a status the call does not accept. 5xx means the sandbox is
/// broken (the documented "container error": the runtime must exit); 4xx refuses one request.
/// </summary>
public sealed class RuntimeApiException(string operation, int statusCode, string detail)
    : Exception($"Runtime API {operation} answered {statusCode}: {detail}")
{
    public string Operation => operation;

    public int StatusCode => statusCode;

    public bool IsContainerError => statusCode >= 500;
}

/// <summary>
/// invocation/next handed over an invocation whose headers cannot be used (for example no
/// deadline). It has a request id, so that invocation fails and the loop goes on.
/// </summary>
public sealed class InvalidInvocationException(string requestId, string message) : Exception(message)
{
    public string RequestId => requestId;
}
