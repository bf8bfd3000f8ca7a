#!/usr/bin/env python3
"""The public-SSH guard written the usual way: a Python Lambda handler with boto3.

The cold-start baseline of bench/cold.py. It does the work the AOT ssh-guard does on a
risky event, the way such guards are commonly written: boto3 clients built at import
(reused across invocations), parse the CloudTrail event, find rules open to 0.0.0.0/0 or
::/0 that cover port 22, skip the guard's own roles and groups tagged duoq:exempt=true,
record the finding once with a conditional put (attribute_not_exists(id)), revoke the
rules still there by rule id, mark the record done, publish to the SNS topic.

It runs as its own process speaking the Lambda Runtime API with a minimal loop (urllib),
as a custom runtime would; region, endpoint (AWS_ENDPOINT_URL) and credentials come from
the environment, as in Lambda.
"""
import datetime
import fnmatch
import json
import os
import urllib.request

import boto3
from botocore.exceptions import ClientError

ec2 = boto3.client("ec2")
dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")

TABLE = os.environ["DUOQ_AUDIT_TABLE"]
TOPIC_ARN = os.environ["DUOQ_TOPIC_ARN"]
SELF_PRINCIPALS = [p for p in os.environ.get("DUOQ_SELF_PRINCIPALS", "").split(",") if p]
EXEMPT_TAG = ("duoq:exempt", "true")
WORLD = ("0.0.0.0/0", "::/0")


def _items(value):
    return (value or {}).get("items") or []


def _covers_22(permission):
    protocol = str(permission.get("ipProtocol", ""))
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("tcp", "6"):
        return False
    return permission.get("fromPort", 0) <= 22 <= permission.get("toPort", 65535)


def _world_open_22(detail):
    """The rules this call added that open port 22 to the whole internet, as (rule id, cidr)."""
    params = detail.get("requestParameters") or {}
    risky = []
    for permission in _items(params.get("ipPermissions")):
        if not _covers_22(permission):
            continue
        cidrs = [r.get("cidrIp") for r in _items(permission.get("ipRanges"))] + [r.get("cidrIpv6") for r in _items(permission.get("ipv6Ranges"))]
        risky += [c for c in cidrs if c in WORLD]
    if not risky:
        return []
    added = _items((detail.get("responseElements") or {}).get("securityGroupRuleSet"))
    return [(r["securityGroupRuleId"], r.get("cidrIpv4") or r.get("cidrIpv6")) for r in added
            if not r.get("isEgress") and (r.get("cidrIpv4") or r.get("cidrIpv6")) in WORLD
            and _covers_22({"ipProtocol": r.get("ipProtocol"), "fromPort": r.get("fromPort"), "toPort": r.get("toPort")})]


def _report(detail, status, action="none", finding_id=None, text=""):
    return {"eventId": detail.get("eventID"), "risk": "public-ssh" if finding_id else "none",
            "decision": "revert" if finding_id else "none", "action": action, "status": status,
            "findingId": finding_id, "detail": text}


def handler(event, context):
    detail = event.get("detail") or {}
    if detail.get("eventName") != "AuthorizeSecurityGroupIngress" or detail.get("errorCode"):
        return _report(detail, "benign", text="not a successful ingress authorization")
    rules = _world_open_22(detail)
    if not rules:
        return _report(detail, "benign", text="no rule opens port 22 to the world")
    actor = (detail.get("userIdentity") or {}).get("arn", "")
    if any(fnmatch.fnmatch(actor, p) for p in SELF_PRINCIPALS):
        return _report(detail, "not-taken", text="our own change")

    group_id = detail["requestParameters"]["groupId"]
    finding_id = f"{detail['eventID']}:public-ssh"
    groups = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    tags = {t["Key"]: t["Value"] for t in (groups[0].get("Tags") or [])} if groups else {}
    if tags.get(EXEMPT_TAG[0]) == EXEMPT_TAG[1]:
        return _report(detail, "not-taken", finding_id=finding_id, text="exempt by tag")

    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    summary = f"port 22 opened to {', '.join(c for _, c in rules)} on {group_id}"
    try:
        dynamodb.put_item(
            TableName=TABLE,
            Item={"id": {"S": finding_id}, "state": {"S": "InProgress"}, "risk": {"S": "public-ssh"},
                  "eventId": {"S": detail["eventID"]}, "actorArn": {"S": actor}, "resource": {"S": group_id},
                  "summary": {"S": summary}, "createdAt": {"S": now}, "finding": {"S": json.dumps(detail)}},
            ConditionExpression="attribute_not_exists(id)")
    except ClientError as e:
        # Already recorded: a second delivery of the same event does nothing.
        if e.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return _report(detail, "duplicate", finding_id=finding_id, text="already recorded")
        raise

    current = {r["SecurityGroupRuleId"] for r in ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"] if not r["IsEgress"]}
    present = [rule_id for rule_id, _ in rules if rule_id in current]
    if present:
        ec2.revoke_security_group_ingress(GroupId=group_id, SecurityGroupRuleIds=present)
        result = f"revoked {', '.join(present)} on {group_id}"
    else:
        result = f"already gone on {group_id}"
    dynamodb.update_item(
        TableName=TABLE, Key={"id": {"S": finding_id}},
        UpdateExpression="SET #s = :s, #r = :r", ExpressionAttributeNames={"#s": "state", "#r": "result"},
        ExpressionAttributeValues={":s": {"S": "Done"}, ":r": {"S": result}})
    sns.publish(TopicArn=TOPIC_ARN, Subject=f"[DuoQ] public-ssh reverted: {group_id}"[:100],
                Message=f"{summary} by {actor}: {result}",
                MessageAttributes={"risk": {"DataType": "String", "StringValue": "public-ssh"},
                                   "action": {"DataType": "String", "StringValue": "revoke-ingress-rules"}})
    return _report(detail, "done" if present else "already-done", "revoke-ingress-rules", finding_id, result)


def main():
    api = f"http://{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime/invocation"
    while True:
        with urllib.request.urlopen(f"{api}/next") as response:
            request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
            event = json.loads(response.read())
        try:
            body, outcome = json.dumps(handler(event, None)).encode(), "response"
        except Exception as e:  # reported to the Runtime API as Lambda's Python runtime does
            body, outcome = json.dumps({"errorType": type(e).__name__, "errorMessage": str(e)}).encode(), "error"
        urllib.request.urlopen(urllib.request.Request(f"{api}/{request_id}/{outcome}", body, {"Content-Type": "application/json"})).close()


if __name__ == "__main__":
    main()
