using System.Text.Json;
using DuoQServerless.Functions.Logging;

namespace DuoQServerless.Functions.Runtime;

/// <summary>One function's behaviour: built once at init, then called for every invocation.</summary>
public interface ILambdaHandler
{
    /// <summary>
    /// Handles one event and returns the response document as UTF-8 JSON. Throwing fails this
    /// invocation only (errorType = the exception's type name); the token fires at the deadline.
    /// </summary>
    Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler factory gets at init: configuration comes from the environment.</summary>
public sealed record HandlerInit(IRuntimeEnvironment Environment, LambdaLogger Logger, TimeProvider Clock)
{
    /// <summary>Told about every AWS call the function makes (least-privilege specs); null in Lambda.</summary>
    public DuoQServerless.Aws.Protocol.IAwsCallObserver? AwsCalls { get; init; }
}

/// <summary>
/// Handler name (the function's Handler setting, seen as _HANDLER) to factory. Adding a function
/// is one line: <c>registry.Add("ssh-guard", init => new SshGuardHandler(...))</c>. A factory that
/// throws (a bad configuration) is an init error, like an unknown name.
/// </summary>
public sealed class HandlerRegistry
{
    private readonly Dictionary<string, Func<HandlerInit, CancellationToken, Task<ILambdaHandler>>> _factories = new(StringComparer.Ordinal);

    public HandlerRegistry Add(string name, Func<HandlerInit, ILambdaHandler> create) =>
        Add(name, (init, _) => Task.FromResult(create(init)));

    /// <summary>For handlers whose init awaits something, such as reading their policy.</summary>
    public HandlerRegistry Add(string name, Func<HandlerInit, CancellationToken, Task<ILambdaHandler>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_factories.TryAdd(name, create))
            throw new ArgumentException($"A handler named \"{name}\" is already registered", nameof(name));
        return this;
    }

    public IReadOnlyList<string> Names => _factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <exception cref="UnknownHandlerException">No handler has this name.</exception>
    public Task<ILambdaHandler> CreateAsync(string? name, HandlerInit init, CancellationToken cancellationToken) =>
        name is not null && _factories.TryGetValue(name, out var create)
            ? create(init, cancellationToken)
            : throw new UnknownHandlerException(name, Names);
}
