using System.Globalization;
using System.Text.Json;

namespace DuoQServerless.Core.CloudTrail;

/// <summary>
/// Tolerant reads of the free-form parts of a CloudTrail record (requestParameters,
/// responseElements): a missing or differently typed field reads as absent, never throws.
/// </summary>
public static class JsonRead
{
    public static JsonElement Prop(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static bool IsPresent(this JsonElement element) =>
        element.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>A string member's value; any other JSON type reads as absent, so a number or a
    /// boolean where a name or id belongs never becomes a resource to act on.</summary>
    public static string? Str(this JsonElement element, string name) => element.Prop(name).Text();

    /// <summary>A member that CloudTrail writes as a string or a bare number or boolean
    /// (<c>ipProtocol</c> is "tcp" or "6" or 6), as text.</summary>
    public static string? Scalar(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.Text(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>
    /// A JSON string's value, or null when the element is no string or its escapes are not valid
    /// UTF-16 (a lone surrogate such as <c>"\ud800"</c>: JSON's grammar allows it, a .NET string
    /// cannot hold it, and no name, id or CIDR AWS accepted contains one).
    /// </summary>
    public static string? Text(this JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            return value.GetString();
        }
        // GetString throws for invalid UTF-16 escapes; the field reads as absent instead of crashing the guard.
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>CloudTrail writes some integers as strings ("22") and some as numbers.</summary>
    public static int? Int(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        if (value.ValueKind == JsonValueKind.String &&
            int.TryParse(value.Text(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            return number;
        return null;
    }

    public static bool? Bool(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.Text(), out var flag) => flag,
            _ => null,
        };
    }

    /// <summary>
    /// The elements of a CloudTrail list, whichever way it was written: EC2's
    /// <c>{"items": [...]}</c>, a plain array, or a single object standing for a one-item list.
    /// </summary>
    public static IReadOnlyList<JsonElement> Items(this JsonElement element, string name) => AsItems(element.Prop(name));

    public static IReadOnlyList<JsonElement> AsItems(this JsonElement list)
    {
        switch (list.ValueKind)
        {
            case JsonValueKind.Array:
                return list.EnumerateArray().ToArray();
            case JsonValueKind.Object when list.TryGetProperty("items", out var items):
                return AsItems(items);
            case JsonValueKind.Object:
                return list.EnumerateObject().Any() ? [list] : [];
            default:
                return [];
        }
    }
}
