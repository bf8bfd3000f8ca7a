using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>RDS set-up the project never does itself, sent through the same Query client.</summary>
public static class RdsSetup
{
    public static async Task<string> CreateInstanceAsync(this RdsClient rds, string identifier, bool deletionProtection = false, string? clusterIdentifier = null)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", identifier)
            .Add("DBInstanceClass", clusterIdentifier is null ? "db.t3.micro" : "db.r5.large")
            .Add("Engine", clusterIdentifier is null ? "postgres" : "aurora-postgresql")
            .Add("DBClusterIdentifier", clusterIdentifier)
            .Add("DeletionProtection", deletionProtection);
        if (clusterIdentifier is null)
            parameters.Add("AllocatedStorage", 20).Add("MasterUsername", "duoq").Add("MasterUserPassword", "not-a-secret-1");
        var result = await rds.Query.InvokeAsync("CreateDBInstance", parameters);
        return result.Child("DBInstance")!.RequiredText("DBInstanceArn");
    }

    public static async Task<string> CreateClusterAsync(this RdsClient rds, string identifier, bool deletionProtection)
    {
        var result = await rds.Query.InvokeAsync("CreateDBCluster", new QueryParameters()
            .Add("DBClusterIdentifier", identifier)
            .Add("Engine", "aurora-postgresql")
            .Add("MasterUsername", "duoq")
            .Add("MasterUserPassword", "not-a-secret-1")
            .Add("DeletionProtection", deletionProtection));
        return result.Child("DBCluster")!.RequiredText("DBClusterArn");
    }
}
