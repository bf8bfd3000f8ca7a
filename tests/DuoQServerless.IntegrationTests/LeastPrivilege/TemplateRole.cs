using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Iam;
using DuoQServerless.Testing;
using YamlDotNet.RepresentationModel;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>
/// The names template.yaml's intrinsics stand for in one emulator world: pseudo parameters,
/// parameters (defaults unless overridden), <c>!Ref</c> and <c>!GetAtt X.Arn</c> of its resources.
/// </summary>
public sealed record StackNames(IReadOnlyDictionary<string, string> Values)
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    public static StackNames For(string stackName, string auditTable, string topicArn, string reportBucket, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var values = new Dictionary<string, string>(SamTemplate.Load().ParameterDefaults(), StringComparer.Ordinal)
        {
            ["AWS::Partition"] = "aws",
            ["AWS::Region"] = Region,
            ["AWS::AccountId"] = Account,
            ["AWS::StackName"] = stackName,
            ["AWS::URLSuffix"] = "amazonaws.com",
            ["AuditTable"] = auditTable,
            ["AuditTable.Arn"] = $"arn:aws:dynamodb:{Region}:{Account}:table/{auditTable}",
            ["FindingsTopic"] = topicArn,
            ["ReportBucket"] = reportBucket,
            ["ReportBucket.Arn"] = $"arn:aws:s3:::{reportBucket}",
            ["DeadLetterQueue.Arn"] = $"arn:aws:sqs:{Region}:{Account}:{stackName}-dead-letters",
            ["ApprovalRequestsQueue.Arn"] = $"arn:aws:sqs:{Region}:{Account}:{stackName}-approval-requests",
            ["ApprovalApi"] = "approvals",
        };
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>()) values[name] = value;
        return new StackNames(values);
    }

    public string Resolve(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"template.yaml names {name}, which this world does not define");
}

/// <summary>
/// One function's role in template.yaml, resolved to concrete ARNs of a world and read by the
/// project's own IAM policy evaluator.
/// </summary>
public sealed partial class TemplateRole
{
    private TemplateRole(string handler, PolicyDocument document, string json)
    {
        Handler = handler;
        Document = document;
        Json = json;
    }

    public string Handler { get; }

    public PolicyDocument Document { get; }

    /// <summary>The resolved policy document, as a principal would hold it.</summary>
    public string Json { get; }

    /// <summary>Every action the role grants (statements as written: no wildcards in this template).</summary>
    public IReadOnlyList<string> Actions =>
        Document.Statements.SelectMany(s => s.Actions.Patterns).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public static TemplateRole Of(string handler, StackNames names)
    {
        var template = SamTemplate.Load();
        var function = template.Functions().Single(f => f.Handler == handler).Properties;
        var statements = new JsonArray(template.PolicyStatements(function).Select(s => (JsonNode?)Resolve(s, names)).ToArray());
        var json = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString();
        return new TemplateRole(handler, PolicyDocument.Parse(json), json);
    }

    /// <summary>Whether the role allows one call on every resource it acts on; the reason when not.</summary>
    public string? Refusal(AwsCall call, string? impliedVia = null)
    {
        var context = RequestContext.Empty;
        foreach (var (key, values) in call.ConditionKeys) context = context.With(key, values);
        if (impliedVia is not null) context = context.With("kms:ViaService", impliedVia);
        foreach (var resource in call.ResourcesIn(StackNames.Account))
        {
            var decision = PolicyEvaluator.Evaluate(PolicySet.Identity(new NamedPolicy($"{Handler} role", Document)), new AccessRequest(call.Action, resource, Context: context));
            if (!decision.IsAllowed) return $"{call.Action} on {resource}: {decision}";
        }
        return null;
    }

    /// <summary>The role's Allow statements that allow none of these calls: grants wider than the code's use.</summary>
    public IReadOnlyList<string> StatementsAllowingNone(IReadOnlyList<(AwsCall Call, string? Via)> calls) =>
        Document.Statements
            .Where(statement => statement.Effect == Effect.Allow)
            .Where(statement =>
            {
                var alone = new PolicyDocument(Document.Version, null, [statement]);
                var role = new TemplateRole(Handler, alone, Json);
                return !calls.Any(c => role.Refusal(c.Call, c.Via) is null);
            })
            .Select(statement => $"{statement.Label}: {statement.Actions} on {statement.Resources}")
            .ToList();

    /// <summary>The role's statements with only these actions, on "*" and without conditions: what
    /// moto can enforce (it checks actions; resources are proven by <see cref="Refusal"/>).</summary>
    public static string ActionsOnly(IEnumerable<string> actions) =>
        new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray(actions.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["Resource"] = "*",
            }),
        }.ToJsonString();

    private static JsonNode Resolve(YamlNode node, StackNames names) => node switch
    {
        YamlScalarNode { Tag.IsEmpty: false } tagged => JsonValue.Create(Intrinsic(tagged.Tag.Value, tagged.Value!, names))!,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value)!,
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(c => (JsonNode?)Resolve(c, names)).ToArray()),
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (JsonNode?)Resolve(c.Value, names)))),
        _ => throw new InvalidOperationException($"unexpected node {node}"),
    };

    private static string Intrinsic(string tag, string value, StackNames names) => tag switch
    {
        "!Ref" => names.Resolve(value),
        "!GetAtt" => names.Resolve(value),
        "!Sub" => SubReference().Replace(value, m => names.Resolve(m.Groups[1].Value)),
        _ => throw new InvalidOperationException($"intrinsic {tag} {value} is not resolved by this reader"),
    };

    [GeneratedRegex(@"\$\{([A-Za-z0-9:.]+)\}")]
    private static partial Regex SubReference();
}
