using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuoQServerless.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace DuoQServerless.Tests.Fuzzing;

/// <summary>One change to a sample event: a field removed, a field given a hostile value, or the text cut short.</summary>
/// <param name="Where">Which field (an index into the sample's fields, taken modulo their count).</param>
/// <param name="Value">The hostile JSON text put in place of the field (<see cref="Replace"/> only).</param>
internal sealed record Mutation(MutationKind Kind, int Where, string Value)
{
    public override string ToString() => Kind == MutationKind.Replace ? $"{Kind} #{Where} with {Shorten(Value)}" : $"{Kind} #{Where}";

    private static string Shorten(string text) => text.Length <= 60 ? text : $"{text[..40]}...({text.Length} chars)";
}

internal enum MutationKind { Remove, Replace, Truncate }

/// <summary>A sample of events/ with the mutations applied to it, as the text a guard would be invoked with.</summary>
internal sealed record HostileEvent(string Sample, IReadOnlyList<Mutation> Mutations, string Json)
{
    public override string ToString() => $"{Sample} after [{string.Join(", ", Mutations)}]";
}

/// <summary>
/// Generators of malformed and hostile guard inputs, built from the real samples of events/ so
/// that most of each input is a well-formed CloudTrail record and the hostile part sits where a
/// detector reads: wrong JSON types for any field, missing fields, huge arrays, nesting beyond
/// System.Text.Json's default depth of 64, lone surrogates, text cut short.
/// </summary>
internal static class HostileJson
{
    private const string Hole = "\u0001duoq-fuzz-hole\u0001";

    public static IReadOnlyList<(string Name, string Json)> Samples { get; } =
        Directory.GetFiles(RepoPaths.Of("events"), "*.json", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) is not ("expectations.json" or "ping.json"))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(RepoPaths.Of("events"), path).Replace('\\', '/'), File.ReadAllText(path)))
            .ToArray();

    /// <summary>JSON values of every type and of hostile size or content.</summary>
    public static IReadOnlyList<string> Values { get; } =
    [
        "null", "true", "false", "0", "-0", "-1", "22", "65535", "65536", "2147483648", "-2147483649", "1.5", "22.0", "2.2e1",
        "1e400", "-1e400", "123456789012345678901234567890",
        "\"\"", "\" \"", "\"22\"", "\"-1\"", "\"tcp\"", "\"TCP\"", "\"6\"", "\"all\"", "\"0.0.0.0/0\"", "\"0.0.0.0/00\"", "\"::0/0\"",
        "\"true\"", "\"false\"", "\"AuthorizeSecurityGroupIngress\"", "\"ec2.amazonaws.com\"", "\"arn:aws:iam::aws:policy/AdministratorAccess\"",
        "\"\\ud800\"", "\"\\udc00\\ud800x\"", "\"a\\u0000b\"", "\"\\uFFFF\\uFFFE\"", "\"é漢字🙂\u202e\"", "\"2025-13-45T99:99:99Z\"",
        "\"" + new string('A', 100_000) + "\"",
        "[]", "{}", "[null]", "[1,\"x\",[],{}]", "{\"items\":null}", "{\"items\":{}}", "{\"items\":[null,1,\"x\",[],{\"items\":[]}]}",
        "{\"items\":\"0.0.0.0/0\"}", "{\"\":{\"\":null}}",
        "[" + string.Join(",", Enumerable.Repeat("{\"cidrIp\":\"10.0.0.0/8\",\"ipProtocol\":\"tcp\"}", 5_000)) + "]",
        "{\"items\":[" + string.Join(",", Enumerable.Repeat("{}", 10_000)) + "]}",
        Nested(63), Nested(64), Nested(65), Nested(500), NestedObjects(100),
    ];

    /// <summary>Arrays nested <paramref name="depth"/> deep: the reader's default limit is 64.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    public static string NestedObjects(int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++) text.Append("{\"items\":");
        text.Append("null");
        text.Append('}', depth);
        return text.ToString();
    }

    public static Gen<Mutation> Mutations { get; } =
        Gen.Frequency(
            (3, Gen.Choose(0, 10_000).Select(where => new Mutation(MutationKind.Remove, where, ""))),
            (6, Gen.Choose(0, 10_000).Zip(Gen.Elements(Values.ToArray())).Select(pair => new Mutation(MutationKind.Replace, pair.Item1, pair.Item2))),
            (1, Gen.Choose(0, 10_000).Select(where => new Mutation(MutationKind.Truncate, where, ""))));

    /// <summary>A sample (any of events/, or those matching <paramref name="samples"/>) after one to four mutations.</summary>
    public static Gen<HostileEvent> Events(Func<string, bool>? samples = null) =>
        Events(Samples.Where(sample => samples?.Invoke(sample.Name) ?? true).ToArray());

    /// <summary>One of <paramref name="pool"/> after one to four mutations.</summary>
    public static Gen<HostileEvent> Events(IReadOnlyList<(string Name, string Json)> pool) =>
         Gen.Elements(pool.ToArray()).Zip(Gen.Choose(1, 4).SelectMany(count => Gen.ListOf(Mutations, count)))
            .Select(pair => Apply(pair.Item1.Name, pair.Item1.Json, [.. pair.Item2]));

    /// <summary>Applies the mutations to the sample's fields, then splices in the hostile values as
    /// raw text (so that values no JSON writer would produce, like lone surrogates, survive), then
    /// cuts the text short where asked.</summary>
    public static HostileEvent Apply(string name, string json, IReadOnlyList<Mutation> mutations)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 4096 });
        var holes = new List<(string Hole, string Value)>();
        foreach (var mutation in mutations.Where(m => m.Kind != MutationKind.Truncate))
        {
            var fields = Fields(root).ToArray();
            if (fields.Length == 0) break;
            var (parent, key, index) = fields[mutation.Where % fields.Length];
            JsonNode? replacement = null;
            if (mutation.Kind == MutationKind.Replace)
            {
                var hole = $"{Hole}{holes.Count}";
                holes.Add((JsonSerializer.Serialize(hole), mutation.Value));
                replacement = hole;
            }
            if (parent is JsonObject obj)
            {
                if (replacement is null) obj.Remove(key!);
                else obj[key!] = replacement;
            }
            else if (replacement is null) ((JsonArray)parent).RemoveAt(index);
            else ((JsonArray)parent)[index] = replacement;
        }
        var text = root?.ToJsonString(new JsonSerializerOptions { MaxDepth = 4096 }) ?? "null";
        foreach (var (hole, value) in holes) text = text.Replace(hole, value, StringComparison.Ordinal);
        foreach (var cut in mutations.Where(m => m.Kind == MutationKind.Truncate)) text = text[..(cut.Where % Math.Max(1, text.Length))];
        return new HostileEvent(name, mutations, text);
    }

    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Fields(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToArray())
                {
                    yield return (obj, key, -1);
                    foreach (var inner in Fields(child)) yield return inner;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, null, i);
                    foreach (var inner in Fields(array[i])) yield return inner;
                }
                break;
        }
    }
}
