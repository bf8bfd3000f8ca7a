"""The emulated account the ssh-guard benchmarks run against.

moto is started the way `MotoServer.StartAsync` (src/DuoQServerless.Cli/Emulator) starts it:
tools/moto/duoq_moto.py on a free 127.0.0.1 port, exiting with this process, then configured
through /moto-api/config. The account holds what template.yaml would deploy for the guard
(audit table, findings topic) and the security group of the risky samples.
"""
import http.client
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "tools", "moto", "duoq_moto.py")
EVENTS = os.path.join(ROOT, "events")
REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = "duoq"
KEY = "testing"  # EmulatorCredentials.Key: moto accepts any, fake ones keep real keys away
SAMPLE_GROUP = "sg-0f3a9c2d7b1e45a01"  # the group every events/ssh sample names


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    def __init__(self):
        port = _free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true", AWS_DEFAULT_REGION=REGION, PYTHONUNBUFFERED="1")
        # moto logs every request on stderr: into a file, since an unread pipe fills up and stalls the server.
        self.log = tempfile.NamedTemporaryFile(prefix="duoq-moto-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [os.environ.get("DUOQ_PYTHON", "python3"), LAUNCHER, "--port", str(port), "--parent-pid", str(os.getpid())],
            env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                with open(self.log.name, errors="replace") as log:
                    raise SystemExit(f"moto exited: {log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/data.json", timeout=5):
                    break
            except OSError:
                # Refused until the server binds its port: keep polling.
                if time.monotonic() > deadline:
                    raise SystemExit(f"moto did not answer on {self.endpoint} within 60 s")
                time.sleep(0.1)
        config = json.dumps({"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/config", config, {"Content-Type": "application/json"}), timeout=10).close()

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=KEY)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.log.close()
        os.unlink(self.log.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class SshAccount:
    """The guard's resources, and a security group whose port 22 the driver opens to the world."""

    def __init__(self, moto):
        self.moto = moto
        self.ec2, self.dynamodb, self.sns = moto.client("ec2"), moto.client("dynamodb"), moto.client("sns")
        self.table = f"{STACK}-audit"
        self.dynamodb.create_table(
            TableName=self.table, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        self.topic_arn = self.sns.create_topic(Name=f"{STACK}-findings")["TopicArn"]
        self.group_id = self.ec2.create_security_group(GroupName="web", Description="web servers")["GroupId"]

    def open_port_22(self):
        """What the agent did in ssh/risky-authorize-ipv4-22.json; answers the new rule's id."""
        answer = self.ec2.authorize_security_group_ingress(
            GroupId=self.group_id,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        rules = answer.get("SecurityGroupRules") or self.ingress_rules()
        return next(r["SecurityGroupRuleId"] for r in rules if r.get("FromPort") == 22 and r.get("CidrIpv4") == "0.0.0.0/0")

    def ingress_rules(self):
        rules = self.ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [self.group_id]}])["SecurityGroupRules"]
        return [r for r in rules if not r["IsEgress"]]

    def is_open(self, rule_id):
        return any(r["SecurityGroupRuleId"] == rule_id for r in self.ingress_rules())

    def event(self, sample, rule_id=None):
        """The sample with this account's group (and rule) in place of its own, and a fresh eventID."""
        with open(os.path.join(EVENTS, sample)) as f:
            text = f.read().replace(SAMPLE_GROUP, self.group_id)
        event = json.loads(text)
        if rule_id is not None:
            for rule in event["detail"]["responseElements"]["securityGroupRuleSet"]["items"]:
                rule["securityGroupRuleId"] = rule_id
        event["id"] = str(uuid.uuid4())
        event["detail"]["eventID"] = str(uuid.uuid4())
        return event

    def guard_calls(self, rule_id):
        """The six AWS calls the ssh-guard makes for one risky event, sent as pre-built requests over raw
        HTTP (moto does not check signatures unless told to): moto's share of a cold run, which no
        implementation of the guard can go below."""
        finding = json.dumps({"S": str(uuid.uuid4())})
        ec2 = {"Content-Type": "application/x-www-form-urlencoded"}
        calls = [
            ("ec2", ec2, f"Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1={self.group_id}"),
            ("dynamodb", {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.PutItem"},
             f'{{"TableName":"{self.table}","Item":{{"id":{finding},"state":{{"S":"InProgress"}}}},"ConditionExpression":"attribute_not_exists(id)"}}'),
            ("ec2", ec2, f"Action=DescribeSecurityGroupRules&Version=2016-11-15&Filter.1.Name=group-id&Filter.1.Value.1={self.group_id}"),
            ("ec2", ec2, f"Action=RevokeSecurityGroupIngress&Version=2016-11-15&GroupId={self.group_id}&SecurityGroupRuleId.1={rule_id}"),
            ("dynamodb", {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.UpdateItem"},
             f'{{"TableName":"{self.table}","Key":{{"id":{finding}}},"UpdateExpression":"SET #s = :s",'
             '"ExpressionAttributeNames":{"#s":"state"},"ExpressionAttributeValues":{":s":{"S":"Done"}}}'),
            ("sns", ec2, f"Action=Publish&Version=2010-03-31&TopicArn={urllib.parse.quote(self.topic_arn)}&Message=revoked"),
        ]
        host, port = self.moto.endpoint.rsplit("/", 1)[1].split(":")
        for service, headers, body in calls:
            auth = f"AWS4-HMAC-SHA256 Credential={KEY}/20250314/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0"
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("POST", "/", body=body.encode(), headers={**headers, "Authorization": auth})
            answer = connection.getresponse()
            text = answer.read()
            connection.close()
            if answer.status != 200:
                raise RuntimeError(f"{service} {body[:60]}: {answer.status} {text[:300]!r}")

    def function_variables(self):
        """The ssh-guard's environment as template.yaml sets it, pointed at the emulator."""
        return {
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.moto.endpoint,
            "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": KEY,
            "AWS_LAMBDA_FUNCTION_NAME": f"{STACK}-ssh-guard",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "DUOQ_AUDIT_TABLE": self.table,
            "DUOQ_TOPIC_ARN": self.topic_arn,
            "DUOQ_POLICY_PARAMETER": "",
            "DUOQ_DRY_RUN": "false",
            "DUOQ_APPROVAL_STATE_MACHINE_ARN": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{STACK}-approval",
            "DUOQ_SELF_PRINCIPALS": f"arn:aws:iam::{ACCOUNT}:role/{STACK}-*,arn:aws:sts::{ACCOUNT}:assumed-role/{STACK}-*/*",
        }
