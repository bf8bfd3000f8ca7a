namespace DuoQServerless.Core.Approval;

/// <summary>The tag a guard puts on a resource once a person approved its finding
/// (<c>duoq:approved=&lt;approval id&gt;</c>); reports list such resources as accepted.</summary>
public static class ApprovalTag
{
    public const string Key = "duoq:approved";
}
