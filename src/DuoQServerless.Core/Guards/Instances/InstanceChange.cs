using DuoQServerless.Core.CloudTrail;

namespace DuoQServerless.Core.Guards.Instances;

/// <summary>What a RunInstances or ModifyInstanceAttribute call did to instance types.</summary>
internal sealed record InstanceChange(string? InstanceType, IReadOnlyList<string> InstanceIds, int Count, IReadOnlyDictionary<string, string> Tags)
{
    public static InstanceChange Read(CloudTrailRecord record) =>
        record.EventName == "RunInstances" ? ReadRun(record) : ReadModify(record);

    private static InstanceChange ReadRun(CloudTrailRecord record)
    {
        var request = record.RequestParameters;
        var launched = record.ResponseElements.Items("instancesSet");
        var ids = launched.Select(item => item.Str("instanceId")).OfType<string>().ToArray();
        // With a launch template the request may not name the type; the response always does.
        var type = request.Str("instanceType") ?? launched.Select(item => item.Str("instanceType")).FirstOrDefault(t => t is not null);
        var requested = request.Items("instancesSet").FirstOrDefault();
        var count = ids.Length > 0 ? ids.Length : requested.Int("maxCount") ?? requested.Int("minCount") ?? 1;

        var tags = new Dictionary<string, string>();
        foreach (var specification in request.Items("tagSpecificationSet"))
        {
            if (specification.Str("resourceType") is not (null or "instance")) continue;
            foreach (var tag in specification.Items("tags").Concat(specification.Items("tag")))
                if (tag.Str("key") is { } key) tags[key] = tag.Str("value") ?? "";
        }
        return new InstanceChange(type, ids, count, tags);
    }

    private static InstanceChange ReadModify(CloudTrailRecord record)
    {
        var request = record.RequestParameters;
        var type = request.Prop("instanceType").Str("value") ??
                   (request.Str("attribute") == "instanceType" ? request.Str("value") : null);
        var id = request.Str("instanceId");
        return new InstanceChange(type, id is null ? [] : [id], 1, new Dictionary<string, string>());
    }
}
