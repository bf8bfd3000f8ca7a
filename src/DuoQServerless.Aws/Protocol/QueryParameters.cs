using System.Globalization;
using System.Text;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// The parameters of one Query protocol call, in order, serialized the way botocore does:
/// lists as <c>Name.member.1</c> (or the member name the service declares, e.g. RDS's
/// <c>Tags.Tag.1.Key</c>), maps as <c>Name.entry.1.key</c>, booleans as <c>true</c>/<c>false</c>,
/// and every name and value percent-encoded per RFC 3986 (a space is <c>%20</c>, a plus <c>%2B</c>).
/// </summary>
public sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _values = [];

    public IReadOnlyList<KeyValuePair<string, string>> Values => _values;

    /// <summary>Adds a parameter; a null value is left out, as an absent optional member.</summary>
    public QueryParameters Add(string name, string? value)
    {
        if (value is not null) _values.Add(new(name, value));
        return this;
    }

    public QueryParameters Add(string name, bool? value) =>
        Add(name, value is null ? null : value.Value ? "true" : "false");

    public QueryParameters Add(string name, int? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Adds one numbered group per item: <paramref name="prefix"/><c>.1</c>, <c>.2</c>...; the
    /// writer adds the item's members under the numbered prefix it is given.
    /// </summary>
    public QueryParameters AddEach<T>(string prefix, IEnumerable<T>? items, Action<QueryParameters, string, T> write)
    {
        if (items is null) return this;
        var number = 0;
        foreach (var item in items) write(this, $"{prefix}.{++number}", item);
        return this;
    }

    /// <summary>A string-to-string map as <c>prefix.entry.N.key</c> / <c>prefix.entry.N.value</c>.</summary>
    public QueryParameters AddMap(string prefix, IEnumerable<KeyValuePair<string, string>>? map) =>
        AddEach($"{prefix}.entry", map, (query, entry, pair) => query.Add($"{entry}.key", pair.Key).Add($"{entry}.value", pair.Value));

    internal byte[] ToFormBody(string action, string version)
    {
        var body = new StringBuilder();
        Append(body, "Action", action);
        Append(body, "Version", version);
        foreach (var (name, value) in _values) Append(body, name, value);
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private static void Append(StringBuilder body, string name, string value)
    {
        if (body.Length > 0) body.Append('&');
        body.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
    }

    public override string ToString() => string.Join("&", _values.Select(v => $"{v.Key}={v.Value}"));
}
