using System.Collections.Concurrent;

namespace DuoQServerless.Functions.Runtime;

/// <summary>
/// The environment variables the runtime reads and writes. Everything goes through this so tests
/// (and the CLI, which runs handlers in-process) never touch the real process environment.
/// </summary>
public interface IRuntimeEnvironment
{
    string? Get(string name);

    /// <summary>Sets a variable; null removes it.</summary>
    void Set(string name, string? value);
}

/// <summary>The names Lambda defines for a custom runtime.</summary>
public static class RuntimeVariables
{
    /// <summary>host:port of the Runtime API.</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>The function's Handler setting: which registered handler this process runs.</summary>
    public const string Handler = "_HANDLER";

    /// <summary>The X-Ray trace header of the current invocation, read by the AWS SDK.</summary>
    public const string TraceId = "_X_AMZN_TRACE_ID";

    /// <summary>TRACE, DEBUG, INFO, WARN, ERROR or FATAL (the function's advanced logging setting).</summary>
    public const string LogLevel = "AWS_LAMBDA_LOG_LEVEL";
}

/// <summary>The real process environment.</summary>
public sealed class ProcessEnvironment : IRuntimeEnvironment
{
    public static readonly ProcessEnvironment Instance = new();

    private ProcessEnvironment()
    {
    }

    public string? Get(string name) => Environment.GetEnvironmentVariable(name);

    public void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);
}

/// <summary>An environment held in memory: for tests and for running handlers inside another process.</summary>
public sealed class InMemoryEnvironment : IRuntimeEnvironment
{
    private readonly ConcurrentDictionary<string, string> _variables = new(StringComparer.Ordinal);

    public InMemoryEnvironment(IEnumerable<KeyValuePair<string, string>>? variables = null)
    {
        foreach (var (name, value) in variables ?? [])
            _variables[name] = value;
    }

    public string? Get(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    public void Set(string name, string? value)
    {
        if (value is null) _variables.TryRemove(name, out _);
        else _variables[name] = value;
    }
}
