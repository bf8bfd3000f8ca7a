using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Events;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Core.Detection;
using DuoQServerless.Functions.Approval;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Handlers;

/// <summary>
/// Every function this binary can be: the name is the function's Handler in template.yaml.
/// A new function is one line here.
/// </summary>
public static class FunctionHandlers
{
    public static HandlerRegistry Create() => new HandlerRegistry()
        .Add(PingHandler.Name, _ => new PingHandler())
        .Add("ssh-guard", GuardHandler.For(Detectors.PublicSsh, (aws, _) => new SecurityGroupAccount(aws.Ec2)))
        .Add("instance-guard", GuardHandler.For(Detectors.OversizedInstance, (aws, _) => new InstanceAccount(aws.Ec2)))
        .Add("rds-guard", GuardHandler.For(Detectors.Rds, (aws, _) => new RdsAccount(aws.Rds)))
        .Add("iam-guard", GuardHandler.For(Detectors.IamChange, (aws, audit) => new IamAccount(aws.Iam, new TrustPolicyStore(aws.DynamoDb, audit.TableName))))
        .Add("self-guard", GuardHandler.For(Detectors.SelfProtection, (aws, _) => new SelfAccount(EventBridgeClient.For(aws))))
        .Add(RequestApprovalHandler.Name, RequestApprovalHandler.CreateAsync)
        .Add(ApprovalCallbackHandler.Name, ApprovalCallbackHandler.CreateAsync)
        .Add(Validation.ValidatorHandler.Name, Validation.ValidatorHandler.CreateAsync)
        .Add(Reporting.ComplianceReportHandler.Name, Reporting.ComplianceReportHandler.CreateAsync);
}
