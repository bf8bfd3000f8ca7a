using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Guards.Rds;

/// <summary>The DB instance or cluster an RDS call names, with what a restore needs from the
/// delete's responseElements (engine, class, subnet group).</summary>
internal sealed record RdsTarget(DbKind Kind, string? Identifier, string? Arn, string? Engine, string? InstanceClass, string? SubnetGroup)
{
    public string IdentifierField => Kind == DbKind.Cluster ? "dBClusterIdentifier" : "dBInstanceIdentifier";

    public string Noun => Kind == DbKind.Cluster ? "DB cluster" : "DB instance";

    public static RdsTarget Read(CloudTrailRecord record)
    {
        var cluster = record.EventName.EndsWith("DBCluster", StringComparison.Ordinal);
        var request = record.RequestParameters;
        var response = record.ResponseElements;
        return cluster
            ? new RdsTarget(DbKind.Cluster, request.Str("dBClusterIdentifier"), response.Str("dBClusterArn"),
                response.Str("engine"), null, response.Str("dBSubnetGroup"))
            : new RdsTarget(DbKind.Instance, request.Str("dBInstanceIdentifier"), response.Str("dBInstanceArn"),
                response.Str("engine"), response.Str("dBInstanceClass"), response.Prop("dBSubnetGroup").Str("dBSubnetGroupName"));
    }

    public AffectedResource Resource(CloudTrailRecord record)
    {
        var arn = Arn ?? $"arn:aws:rds:{record.AwsRegion}:{record.AccountId}:{(Kind == DbKind.Cluster ? "cluster" : "db")}:{Identifier}";
        return AffectedResource.Of(Kind == DbKind.Cluster ? "AWS::RDS::DBCluster" : "AWS::RDS::DBInstance", Identifier!, arn);
    }
}
