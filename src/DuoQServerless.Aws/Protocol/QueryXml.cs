using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// Reads Query protocol responses. Every lookup uses the namespace of the element it starts
/// from, which is the service's document namespace (<c>https://iam.amazonaws.com/doc/2010-05-08/</c>),
/// so a namespace-qualified answer is read exactly and nothing depends on a prefix.
/// </summary>
public static class QueryXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    internal static XElement Parse(byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(stream, Settings);
        return XElement.Load(reader);
    }

    public static XElement? Child(this XElement element, string name) => element.Element(element.Name.Namespace + name);

    public static string? Text(this XElement element, string name) => element.Child(name)?.Value;

    public static string RequiredText(this XElement element, string name) =>
        element.Text(name) ?? throw new FormatException($"<{element.Name.LocalName}> has no <{name}>");

    public static bool? Bool(this XElement element, string name) =>
        element.Text(name) is { } text ? XmlConvert.ToBoolean(text.Trim().ToLowerInvariant()) : null;

    public static int? Int(this XElement element, string name) =>
        element.Text(name) is { Length: > 0 } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset? Date(this XElement element, string name) =>
        element.Text(name) is { Length: > 0 } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    /// <summary>The items of a wrapped list: <c>&lt;Roles&gt;&lt;member&gt;…</c> or RDS's <c>&lt;DBInstances&gt;&lt;DBInstance&gt;…</c>.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string listName, string itemName = "member") =>
        element.Child(listName)?.Elements(element.Name.Namespace + itemName) ?? [];

    /// <summary>The text of each item of a wrapped list of strings.</summary>
    public static IReadOnlyList<string> Strings(this XElement element, string listName, string itemName = "member") =>
        element.Members(listName, itemName).Select(e => e.Value).ToArray();

    /// <summary>A policy document as IAM returns it: URL-encoded JSON (RFC 3986), decoded exactly.</summary>
    public static string? PolicyDocument(this XElement element, string name) =>
        element.Text(name) is { } encoded ? Uri.UnescapeDataString(encoded) : null;
}
