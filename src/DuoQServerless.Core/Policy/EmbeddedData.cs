namespace DuoQServerless.Core.Policy;

/// <summary>Data files shipped inside the assembly (default policy, price table): a guard needs no file system.</summary>
internal static class EmbeddedData
{
    public static string Read(string name)
    {
        var assembly = typeof(EmbeddedData).Assembly;
        using var stream = assembly.GetManifestResourceStream($"DuoQServerless.Core.{name}")
            ?? throw new InvalidOperationException($"embedded file {name} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
