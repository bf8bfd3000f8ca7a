using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace DuoQServerless.Testing;

/// <summary>template.yaml read as data: functions, their handlers, rule patterns and policy actions.
/// CloudFormation's short tags (!Ref, !Sub...) are kept as plain scalars; specs compare what they mean.</summary>
public sealed class SamTemplate
{
    private readonly YamlMappingNode _root;
    private readonly YamlMappingNode _resources;

    private SamTemplate(YamlMappingNode root)
    {
        _root = root;
        _resources = (YamlMappingNode)root.Children[new YamlScalarNode("Resources")];
    }

    public static SamTemplate Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepoPaths.Of("template.yaml"));
        yaml.Load(reader);
        return new SamTemplate((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    public IEnumerable<(string LogicalId, YamlMappingNode Properties)> Resources(string type) =>
        from entry in _resources.Children
        let resource = (YamlMappingNode)entry.Value
        where Scalar(resource, "Type") == type
        select (((YamlScalarNode)entry.Key).Value!, resource.Children.TryGetValue(new YamlScalarNode("Properties"), out var p) ? (YamlMappingNode)p : new YamlMappingNode());

    public IEnumerable<(string LogicalId, string Handler, YamlMappingNode Properties)> Functions() =>
        Resources("AWS::Serverless::Function").Select(f => (f.LogicalId, Scalar(f.Properties, "Handler") ?? "", f.Properties));

    /// <summary>The EventBridge rule patterns of a function's events, as JSON.</summary>
    public IEnumerable<JsonNode> RulePatterns(YamlMappingNode function) =>
        function.Children.TryGetValue(new YamlScalarNode("Events"), out var events)
            ? ((YamlMappingNode)events).Children.Values.Cast<YamlMappingNode>()
                .Where(e => Scalar(e, "Type") == "EventBridgeRule")
                .Select(e => ToJson(((YamlMappingNode)e.Children[new YamlScalarNode("Properties")]).Children[new YamlScalarNode("Pattern")]))
            : [];

    /// <summary>Every action a function's role is granted: inline statements and referenced managed policies.</summary>
    public IReadOnlySet<string> PolicyActions(YamlMappingNode function)
    {
        var actions = new HashSet<string>(StringComparer.Ordinal);
        if (!function.Children.TryGetValue(new YamlScalarNode("Policies"), out var policies)) return actions;
        foreach (var policy in ((YamlSequenceNode)policies).Children)
        {
            var statements = policy is YamlScalarNode { Tag.IsEmpty: false } reference
                ? ManagedPolicyStatements(reference.Value!)
                : Statements((YamlMappingNode)policy);
            foreach (var statement in statements)
                actions.UnionWith(Values(statement.Children[new YamlScalarNode("Action")]));
        }
        return actions;
    }

    /// <summary>A function's role statements as written (inline and referenced managed policies), intrinsics unresolved.</summary>
    public IReadOnlyList<YamlMappingNode> PolicyStatements(YamlMappingNode function) =>
        function.Children.TryGetValue(new YamlScalarNode("Policies"), out var policies)
            ? ((YamlSequenceNode)policies).Children
                .SelectMany(policy => policy is YamlScalarNode { Tag.IsEmpty: false } reference
                    ? ManagedPolicyStatements(reference.Value!)
                    : Statements((YamlMappingNode)policy))
                .ToList()
            : [];

    /// <summary>The template's parameters with their defaults.</summary>
    public IReadOnlyDictionary<string, string> ParameterDefaults() =>
        ((YamlMappingNode)_root.Children[new YamlScalarNode("Parameters")]).Children
            .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Scalar((YamlMappingNode)p.Value, "Default") ?? "");

    private IEnumerable<YamlMappingNode> ManagedPolicyStatements(string logicalId)
    {
        var resource = (YamlMappingNode)_resources.Children[new YamlScalarNode(logicalId)];
        var properties = (YamlMappingNode)resource.Children[new YamlScalarNode("Properties")];
        return Statements((YamlMappingNode)properties.Children[new YamlScalarNode("PolicyDocument")]);
    }

    private static IEnumerable<YamlMappingNode> Statements(YamlMappingNode document) =>
        ((YamlSequenceNode)document.Children[new YamlScalarNode("Statement")]).Children.Cast<YamlMappingNode>();

    private static IEnumerable<string> Values(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value!],
        YamlSequenceNode sequence => sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value!),
        _ => throw new InvalidOperationException($"unexpected node {node}"),
    };

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    public static JsonNode ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (JsonNode?)ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => (JsonNode?)ToJson(c)).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value)!,
        _ => throw new InvalidOperationException($"unexpected node {node}"),
    };
}
