using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace DuoQServerless.Core.Policy;

/// <summary>
/// One mapping of a policy document, read field by field against a closed schema. Every read
/// that finds a bad value records a <see cref="PolicyError"/> naming the field and the valid
/// choices, and returns the default so that all errors of a document are reported at once.
/// </summary>
public sealed class PolicyMap
{
    private readonly YamlMappingNode node;
    private readonly List<PolicyError> errors;

    internal PolicyMap(YamlMappingNode node, string path, List<PolicyError> errors)
    {
        this.node = node;
        Path = path;
        this.errors = errors;
    }

    public string Path { get; }

    public string At(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public IEnumerable<string> Keys => node.Children.Keys.Select(key => (key as YamlScalarNode)?.Value ?? "?");

    public void Error(string path, string message) => errors.Add(new PolicyError(path, message));

    /// <summary>Records an error for every key not in <paramref name="allowed"/>.</summary>
    public void AllowOnly(IReadOnlyList<string> allowed)
    {
        foreach (var key in Keys.Where(key => !allowed.Contains(key, StringComparer.Ordinal)))
            Error(At(key), $"unknown key; valid keys: {string.Join(", ", allowed)}");
    }

    public bool Has(string key) => Find(key) is not null;

    public string Text(string key, string fallback, Func<string, string?>? check = null) =>
        Find(key) is { } value ? Scalar(value, At(key), check) ?? fallback : fallback;

    public bool Bool(string key, bool fallback)
    {
        var text = Text(key, "");
        if (text.Length == 0) return fallback;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        Error(At(key), $"'{text}' is not a boolean; valid: true, false");
        return fallback;
    }

    public int Int(string key, int fallback, int min, int max) =>
        Find(key) is { } value ? IntValue(value, At(key), min, max) ?? fallback : fallback;

    public decimal Decimal(string key, decimal fallback, decimal min, decimal max)
    {
        var text = Text(key, "");
        if (text.Length == 0) return fallback;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) &&
            number >= min && number <= max)
            return number;
        Error(At(key), $"'{text}' is not a number from {min} to {max}");
        return fallback;
    }

    public T Choice<T>(string key, T fallback, IReadOnlyList<(string Name, T Value)> choices)
    {
        var text = Text(key, "");
        if (text.Length == 0) return fallback;
        foreach (var (name, value) in choices)
            if (name == text) return value;
        Error(At(key), $"'{text}' is not valid; valid: {string.Join(", ", choices.Select(choice => choice.Name))}");
        return fallback;
    }

    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var text = Text(key, "");
        if (text.Length == 0) return fallback;
        if (Durations.TryParse(text, out var duration) && duration >= min && duration <= max) return duration;
        Error(At(key), $"'{text}' is not a duration from {Durations.Format(min)} to {Durations.Format(max)} " +
                       "(a whole number followed by s, m, h or d, e.g. 24h)");
        return fallback;
    }

    public IReadOnlyList<string> Texts(string key, IReadOnlyList<string> fallback, Func<string, string?>? check = null)
    {
        if (Find(key) is not { } value) return fallback;
        if (value is not YamlSequenceNode sequence)
        {
            Error(At(key), "expected a list");
            return fallback;
        }
        var result = new List<string>();
        var index = 0;
        foreach (var item in sequence.Children)
        {
            if (Scalar(item, $"{At(key)}[{index++}]", check) is { } text) result.Add(text);
        }
        return result;
    }

    public IReadOnlyList<int> Ints(string key, IReadOnlyList<int> fallback, int min, int max)
    {
        if (Find(key) is not { } value) return fallback;
        if (value is not YamlSequenceNode sequence)
        {
            Error(At(key), "expected a list");
            return fallback;
        }
        var result = new List<int>();
        var index = 0;
        foreach (var item in sequence.Children)
        {
            if (IntValue(item, $"{At(key)}[{index++}]", min, max) is { } number) result.Add(number);
        }
        return result;
    }

    /// <summary>A nested mapping, or null (with an error when the key holds something else).</summary>
    public PolicyMap? Map(string key)
    {
        if (Find(key) is not { } value) return null;
        if (value is YamlMappingNode mapping) return new PolicyMap(mapping, At(key), errors);
        Error(At(key), "expected a mapping of keys to values");
        return null;
    }

    private YamlNode? Find(string key)
    {
        var value = node.Children.TryGetValue(new YamlScalarNode(key), out var found) ? found : null;
        // An empty value ("key:" with nothing after it) reads as absent: the default applies.
        return value is YamlScalarNode { Value: null or "" } ? null : value;
    }

    private string? Scalar(YamlNode value, string path, Func<string, string?>? check)
    {
        if (value is not YamlScalarNode { Value: { } text })
        {
            Error(path, "expected a single value");
            return null;
        }
        if (check?.Invoke(text) is { } problem)
        {
            Error(path, problem);
            return null;
        }
        return text;
    }

    private int? IntValue(YamlNode value, string path, int min, int max)
    {
        var text = Scalar(value, path, null);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) &&
            number >= min && number <= max)
            return number;
        Error(path, $"'{text}' is not a whole number from {min} to {max}");
        return null;
    }
}
