using System.Text.Json;

namespace DuoQServerless.Core.Iam;

/// <summary>
/// Reads policy JSON through <see cref="JsonDocument"/> (no reflection, AOT-safe) into the closed
/// model, refusing what IAM refuses: unknown elements, both Action and NotAction, an unknown
/// condition operator. Each refusal names the field and lists the valid choices.
/// </summary>
internal static class PolicyParser
{
    private static readonly string[] TopLevelElements = ["Version", "Id", "Statement"];
    private static readonly string[] StatementElements =
        ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];
    private static readonly string[] Versions = ["2012-10-17", "2008-10-17"];
    private static readonly string[] PrincipalTypes = ["AWS", "Federated", "Service", "CanonicalUser"];
    private static readonly Dictionary<string, ConditionOperator> Operators =
        Enum.GetValues<ConditionOperator>().ToDictionary(o => o.ToString(), StringComparer.OrdinalIgnoreCase);

    private static readonly JsonDocumentOptions Options = new()
    {
        // IAM's own examples (the GitLab guide's trust policy among them) carry trailing commas.
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    public static PolicyDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var json = text.TrimStart();
        if (json.StartsWith('%')) json = Uri.UnescapeDataString(json);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        // Malformed JSON becomes the parser's single error type, with the reader's position.
        catch (JsonException e)
        {
            throw new PolicyDocumentException($"not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error("(document)", "must be a JSON object");
            CheckElements(root, TopLevelElements, "");

            string? version = null;
            if (root.TryGetProperty("Version", out var v))
            {
                version = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (version is null || !Versions.Contains(version))
                    throw Error("Version", $"{Show(v)} is not one of {string.Join(", ", Versions)}");
            }
            var id = root.TryGetProperty("Id", out var idElement) ? String(idElement, "Id") : null;

            if (!root.TryGetProperty("Statement", out var statementElement))
                throw Error("Statement", "is missing");
            var statements = statementElement.ValueKind switch
            {
                JsonValueKind.Object => [ParseStatement(statementElement, 0, "Statement")],
                JsonValueKind.Array => statementElement.EnumerateArray()
                    .Select((s, i) => ParseStatement(s, i, $"Statement[{i}]"))
                    .ToArray(),
                _ => throw Error("Statement", "must be an object or an array of objects"),
            };
            return new PolicyDocument(version, id, statements);
        }
    }

    private static PolicyStatement ParseStatement(JsonElement s, int index, string path)
    {
        if (s.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
        CheckElements(s, StatementElements, path + ".");

        if (!s.TryGetProperty("Effect", out var effectElement)) throw Error(path + ".Effect", "is missing");
        var effect = String(effectElement, path + ".Effect") switch
        {
            "Allow" => Effect.Allow,
            "Deny" => Effect.Deny,
            var other => throw Error(path + ".Effect", $"\"{other}\" is not one of Allow, Deny"),
        };

        var actions = Either(s, "Action", "NotAction", path)
            ?? throw Error(path, "needs Action or NotAction");
        var resources = Either(s, "Resource", "NotResource", path);

        return new PolicyStatement
        {
            Index = index,
            Sid = s.TryGetProperty("Sid", out var sid) ? String(sid, path + ".Sid") : null,
            Effect = effect,
            Actions = actions,
            Resources = resources,
            Principals = ParsePrincipals(s, path),
            Conditions = s.TryGetProperty("Condition", out var c) ? ParseConditions(c, path + ".Condition") : [],
        };
    }

    private static PatternList? Either(JsonElement s, string positive, string negative, string path)
    {
        var hasPositive = s.TryGetProperty(positive, out var p);
        var hasNegative = s.TryGetProperty(negative, out var n);
        if (hasPositive && hasNegative) throw Error(path, $"has both {positive} and {negative}; use one");
        if (hasPositive) return new PatternList(Strings(p, $"{path}.{positive}"), IsNot: false);
        if (hasNegative) return new PatternList(Strings(n, $"{path}.{negative}"), IsNot: true);
        return null;
    }

    private static PrincipalSet? ParsePrincipals(JsonElement s, string path)
    {
        var hasPrincipal = s.TryGetProperty("Principal", out var p);
        var hasNot = s.TryGetProperty("NotPrincipal", out var n);
        if (hasPrincipal && hasNot) throw Error(path, "has both Principal and NotPrincipal; use one");
        if (!hasPrincipal && !hasNot) return null;

        var element = hasPrincipal ? p : n;
        var field = $"{path}.{(hasPrincipal ? "Principal" : "NotPrincipal")}";
        if (element.ValueKind == JsonValueKind.String)
        {
            if (element.GetString() != PrincipalEntry.Everyone) throw Error(field, "as a string must be \"*\"; otherwise use {\"AWS\": ...}");
            return new PrincipalSet([new PrincipalEntry(PrincipalEntry.Everyone, PrincipalEntry.Everyone)], IsNot: hasNot);
        }
        if (element.ValueKind != JsonValueKind.Object) throw Error(field, "must be \"*\" or an object keyed by AWS, Federated, Service or CanonicalUser");

        var entries = new List<PrincipalEntry>();
        foreach (var type in element.EnumerateObject())
        {
            if (!PrincipalTypes.Contains(type.Name))
                throw Error($"{field}.{type.Name}", $"is not one of {string.Join(", ", PrincipalTypes)}");
            entries.AddRange(Strings(type.Value, $"{field}.{type.Name}").Select(value => new PrincipalEntry(type.Name, value)));
        }
        return new PrincipalSet(entries, IsNot: hasNot);
    }

    private static IReadOnlyList<ConditionClause> ParseConditions(JsonElement c, string path)
    {
        if (c.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object keyed by condition operator");
        var clauses = new List<ConditionClause>();
        foreach (var op in c.EnumerateObject())
        {
            var (baseOperator, qualifier, ifExists) = ParseOperator(op.Name, $"{path}.{op.Name}");
            if (op.Value.ValueKind != JsonValueKind.Object) throw Error($"{path}.{op.Name}", "must be an object keyed by condition key");
            foreach (var key in op.Value.EnumerateObject())
                clauses.Add(new ConditionClause(op.Name, baseOperator, qualifier, ifExists, key.Name, ConditionValues(key.Value, $"{path}.{op.Name}.{key.Name}")));
        }
        return clauses;
    }

    private static (ConditionOperator, SetQualifier, bool) ParseOperator(string name, string path)
    {
        var rest = name;
        var qualifier = SetQualifier.None;
        foreach (var (prefix, q) in new[] { ("ForAllValues:", SetQualifier.ForAllValues), ("ForAnyValue:", SetQualifier.ForAnyValue) })
        {
            if (!rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            qualifier = q;
            rest = rest[prefix.Length..];
        }
        var ifExists = rest.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase) && !Operators.ContainsKey(rest);
        if (ifExists) rest = rest[..^"IfExists".Length];
        if (!Operators.TryGetValue(rest, out var op) || (ifExists && op == ConditionOperator.Null))
            throw Error(path, $"is not a condition operator; valid: {string.Join(", ", Operators.Keys)} (optionally with IfExists, ForAllValues:, ForAnyValue:)");
        return (op, qualifier, ifExists);
    }

    private static IReadOnlyList<string> ConditionValues(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Select(item => Scalar(item, path)).ToArray(),
        _ => [Scalar(e, path)],
    };

    private static string Scalar(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => e.GetRawText(),
        _ => throw Error(path, $"values must be strings, numbers or booleans, not {e.ValueKind}"),
    };

    private static IReadOnlyList<string> Strings(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw Error(path, "must hold strings only")).ToArray(),
        _ => throw Error(path, "must be a string or an array of strings"),
    };

    private static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(path, "must be a string");

    private static void CheckElements(JsonElement o, string[] allowed, string prefix)
    {
        foreach (var property in o.EnumerateObject())
            if (!allowed.Contains(property.Name))
                throw Error(prefix + property.Name, $"is not a policy element; valid: {string.Join(", ", allowed)}");
    }

    private static string Show(JsonElement e) => e.ValueKind == JsonValueKind.String ? $"\"{e.GetString()}\"" : e.GetRawText();

    private static PolicyDocumentException Error(string field, string problem) => new($"{field}: {problem}");
}
