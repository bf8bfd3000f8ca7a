# `sam build` runs build-<LogicalId> for every function with `BuildMethod: makefile`.
# Each copies the one Native AOT bootstrap (Amazon.Lambda.Tools is not available here).
AOT_OUT := artifacts/bootstrap

.PHONY: bootstrap
bootstrap:
	dotnet publish src/DuoQServerless.Functions -c Release -r linux-x64 -o $(AOT_OUT)

build-PingFunction build-SshGuardFunction build-InstanceGuardFunction build-RdsGuardFunction build-IamGuardFunction build-SelfGuardFunction build-RequestApprovalFunction build-ApprovalCallbackFunction build-DuoQValidatorFunction build-ComplianceReportFunction: bootstrap
	cp $(AOT_OUT)/bootstrap $(ARTIFACTS_DIR)/bootstrap
