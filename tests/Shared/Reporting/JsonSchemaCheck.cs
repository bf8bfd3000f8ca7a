using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DuoQServerless.Testing.Reporting;

/// <summary>
/// Checks a JSON document against the subset of JSON Schema 2020-12 docs/report.schema.json uses
/// ($ref to $defs, type, const, enum, required, properties, additionalProperties: false, items,
/// minItems, minimum, maximum, pattern, oneOf, format date-time/date). JsonSchema.Net is not
/// served here; a keyword the schema uses and this checker does not know fails loudly.
/// </summary>
public static class JsonSchemaCheck
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "required", "properties",
        "additionalProperties", "items", "minItems", "minimum", "maximum", "pattern", "oneOf", "format",
    ];

    public static IReadOnlyList<string> Errors(JsonElement instance, JsonElement schema)
    {
        var errors = new List<string>();
        Check(instance, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonElement schema, JsonElement root, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
            if (!Known.Contains(keyword.Name)) throw new NotSupportedException($"schema keyword {keyword.Name} at {path} is not checked");

        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Replace("#/$defs/", "", StringComparison.Ordinal);
            Check(value, root.GetProperty("$defs").GetProperty(name), root, path, errors);
        }
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var matching = oneOf.EnumerateArray().Count(option => Errors(value, option, root, path).Count == 0);
            if (matching != 1) errors.Add($"{path}: matches {matching} of the oneOf options, not exactly one");
        }
        if (schema.TryGetProperty("type", out var type) && !TypeMatches(value, type))
        {
            errors.Add($"{path}: is {value.ValueKind}, schema wants {type}");
            return;
        }
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(value, constant))
            errors.Add($"{path}: is {value}, schema wants {constant}");
        if (schema.TryGetProperty("enum", out var choices) && !choices.EnumerateArray().Any(c => JsonElement.DeepEquals(c, value)))
            errors.Add($"{path}: {value} is not one of {choices}");

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(value, schema, root, path, errors);
                break;
            case JsonValueKind.Array:
                if (schema.TryGetProperty("minItems", out var minItems) && value.GetArrayLength() < minItems.GetInt32())
                    errors.Add($"{path}: has {value.GetArrayLength()} items, fewer than {minItems}");
                if (schema.TryGetProperty("items", out var items))
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray()) Check(item, items, root, $"{path}[{i++}]", errors);
                }
                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!))
                    errors.Add($"{path}: \"{text}\" does not match {pattern}");
                if (schema.TryGetProperty("format", out var format) && !FormatMatches(text, format.GetString()!))
                    errors.Add($"{path}: \"{text}\" is not a {format}");
                break;
            case JsonValueKind.Number:
                if (schema.TryGetProperty("minimum", out var min) && value.GetDecimal() < min.GetDecimal())
                    errors.Add($"{path}: {value} is below {min}");
                if (schema.TryGetProperty("maximum", out var max) && value.GetDecimal() > max.GetDecimal())
                    errors.Add($"{path}: {value} is above {max}");
                break;
        }
    }

    private static void CheckObject(JsonElement value, JsonElement schema, JsonElement root, string path, List<string> errors)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                if (!value.TryGetProperty(name, out _)) errors.Add($"{path}: lacks required {name}");
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                Check(property.Value, propertySchema, root, $"{path}.{property.Name}", errors);
            else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False)
                errors.Add($"{path}: has {property.Name}, which the schema does not declare");
        }
    }

    private static List<string> Errors(JsonElement value, JsonElement schema, JsonElement root, string path)
    {
        var errors = new List<string>();
        Check(value, schema, root, path, errors);
        return errors;
    }

    private static bool TypeMatches(JsonElement value, JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => IsType(value, t.GetString()!))
        : IsType(value, type.GetString()!);

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"type {type}"),
    };

    private static bool FormatMatches(string text, string format) => format switch
    {
        "date-time" => DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => throw new NotSupportedException($"format {format}"),
    };
}
