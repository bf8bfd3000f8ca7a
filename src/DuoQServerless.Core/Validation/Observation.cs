namespace DuoQServerless.Core.Validation;

/// <summary>
/// What the fact gatherer learned about one thing it was asked to look at. Closed: a check
/// handles all four cases.
/// </summary>
public abstract record Observation<T>
{
    private Observation()
    {
    }

    /// <summary>The thing exists and was read.</summary>
    public sealed record Seen(T Value) : Observation<T>;

    /// <summary>It was looked for and does not exist (NoSuchEntity, NotFoundException, HTTP 404, an empty list).</summary>
    public sealed record Absent(string What) : Observation<T>;

    /// <summary>It was not looked at because an input is missing (no key configured, no GitLab token): the check is skipped.</summary>
    public sealed record NotAsked(string Why) : Observation<T>;

    /// <summary>Looking failed (AccessDenied, timeout, HTTP 5xx): the check fails and says why.</summary>
    public sealed record Unavailable(string Error) : Observation<T>;
}

/// <summary>Short constructors: <c>Observe.Seen(role)</c> reads better than the nested type names.</summary>
public static class Observe
{
    public static Observation<T> Seen<T>(T value) => new Observation<T>.Seen(value);
    public static Observation<T> Absent<T>(string what) => new Observation<T>.Absent(what);
    public static Observation<T> NotAsked<T>(string why) => new Observation<T>.NotAsked(why);
    public static Observation<T> Unavailable<T>(string error) => new Observation<T>.Unavailable(error);
}
