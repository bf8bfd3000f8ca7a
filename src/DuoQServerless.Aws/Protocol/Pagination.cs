using System.Runtime.CompilerServices;

namespace DuoQServerless.Aws.Protocol;

/// <summary>One page of a listing and the marker of the next page (null on the last one).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextMarker);

internal static class Pagination
{
    /// <summary>Every item of every page, fetching the next page only when the caller gets that far.</summary>
    public static async IAsyncEnumerable<T> All<T>(
        Func<string?, CancellationToken, Task<Page<T>>> fetchPage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await fetchPage(marker, cancellationToken);
            foreach (var item in page.Items) yield return item;
            if (page.NextMarker is not null && page.NextMarker == marker)
                throw new InvalidOperationException($"the service returned the same page marker twice ({marker})");
            marker = page.NextMarker;
        }
        while (!string.IsNullOrEmpty(marker));
    }
}
