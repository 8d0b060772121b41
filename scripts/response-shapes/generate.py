#!/usr/bin/env python3
"""Generates crates/engine/data/response_shapes.txt: the response shapes TestState checks a
mocked result against (`mock.fieldValidationMode`), taken from botocore's service models.

Run `bash scripts/response-shapes/generate.sh` (it makes a venv with the pinned botocore under
scripts/response-shapes/.venv, git-ignored). The output is committed, so builds and CI never
need the package registry. `--measure` prints the size of every candidate service instead.

Format (one line per service, so the engine parses only the services a check needs):
    #botocore <version>
    @integrations<TAB>{"lambda:invoke": "lambda $invoke", ...}   optimised integration -> "<service> <op key>"
    <service><TAB>{"o": {"<opKey>": "<output shape>"}, "s": {"<name>": <shape>}}
<service> is the name an aws-sdk Resource uses (arn:aws:states:::aws-sdk:<service>:<op>): the
model's serviceId in lower case without spaces or dashes (sfn, eventbridge, s3 ...). An op key is
the action as a Resource writes it (lowerCamelCase); "$action" is the optimised integration's
variant when its answer differs from the SDK's (Lambda's Payload is JSON, not a blob).
A shape is a list: ["s", {Member: ref}, [required...]] structure; ["l", ref, min, max] list;
["m", keyRef, valueRef] map; [type, min, max, [enum...]] for string/blob/integer/long/float/
double/boolean/timestamp (trailing nulls dropped). A ref is a shape name, or "@type" for a
scalar without constraints ("@any": any JSON). Member names have their first letter upper-cased,
as Step Functions writes every service's fields (PascalCase: ExecutionArn, StartDate).
"""
import gzip
import json
import sys

import botocore
import botocore.loaders

# Optimised integrations: (resource service, action) -> (botocore service, operation, overrides).
# Overrides: member -> "@any" where the optimised integration returns JSON instead of a blob.
OPTIMISED = [
    ("lambda", "invoke", "lambda", "Invoke", {"Payload": "@any"}),
    ("dynamodb", "getItem", "dynamodb", "GetItem", {}),
    ("dynamodb", "putItem", "dynamodb", "PutItem", {}),
    ("dynamodb", "updateItem", "dynamodb", "UpdateItem", {}),
    ("dynamodb", "deleteItem", "dynamodb", "DeleteItem", {}),
    ("sns", "publish", "sns", "Publish", {}),
    ("sqs", "sendMessage", "sqs", "SendMessage", {}),
    ("events", "putEvents", "events", "PutEvents", {}),
    ("states", "startExecution", "stepfunctions", "StartExecution", {}),
    ("batch", "submitJob", "batch", "SubmitJob", {}),
    ("ecs", "runTask", "ecs", "RunTask", {}),
    ("glue", "startJobRun", "glue", "StartJobRun", {}),
    ("glue", "startCrawler", "glue", "StartCrawler", {}),
    ("glue", "getCrawler", "glue", "GetCrawler", {}),
    ("databrew", "startJobRun", "databrew", "StartJobRun", {}),
    ("mediaconvert", "createJob", "mediaconvert", "CreateJob", {}),
    ("sagemaker", "createEndpoint", "sagemaker", "CreateEndpoint", {}),
    ("sagemaker", "createEndpointConfig", "sagemaker", "CreateEndpointConfig", {}),
    ("sagemaker", "createHyperParameterTuningJob", "sagemaker", "CreateHyperParameterTuningJob", {}),
    ("sagemaker", "createLabelingJob", "sagemaker", "CreateLabelingJob", {}),
    ("sagemaker", "createModel", "sagemaker", "CreateModel", {}),
    ("sagemaker", "createProcessingJob", "sagemaker", "CreateProcessingJob", {}),
    ("sagemaker", "createTrainingJob", "sagemaker", "CreateTrainingJob", {}),
    ("sagemaker", "createTransformJob", "sagemaker", "CreateTransformJob", {}),
    ("sagemaker", "updateEndpoint", "sagemaker", "UpdateEndpoint", {}),
    ("elasticmapreduce", "createCluster", "emr", "RunJobFlow", {}),
    ("elasticmapreduce", "addStep", "emr", "AddJobFlowSteps", {}),
    ("elasticmapreduce", "cancelStep", "emr", "CancelSteps", {}),
    ("emr-containers", "createVirtualCluster", "emr-containers", "CreateVirtualCluster", {}),
    ("emr-containers", "deleteVirtualCluster", "emr-containers", "DeleteVirtualCluster", {}),
    ("emr-containers", "startJobRun", "emr-containers", "StartJobRun", {}),
    ("emr-serverless", "createApplication", "emr-serverless", "CreateApplication", {}),
    ("emr-serverless", "startApplication", "emr-serverless", "StartApplication", {}),
    ("emr-serverless", "stopApplication", "emr-serverless", "StopApplication", {}),
    ("emr-serverless", "deleteApplication", "emr-serverless", "DeleteApplication", {}),
    ("emr-serverless", "startJobRun", "emr-serverless", "StartJobRun", {}),
    ("emr-serverless", "cancelJobRun", "emr-serverless", "CancelJobRun", {}),
    ("codebuild", "startBuild", "codebuild", "StartBuild", {}),
    ("codebuild", "stopBuild", "codebuild", "StopBuild", {}),
    ("codebuild", "batchDeleteBuilds", "codebuild", "BatchDeleteBuilds", {}),
    ("codebuild", "batchGetReports", "codebuild", "BatchGetReports", {}),
    ("codebuild", "startBuildBatch", "codebuild", "StartBuildBatch", {}),
    ("athena", "startQueryExecution", "athena", "StartQueryExecution", {}),
    ("athena", "stopQueryExecution", "athena", "StopQueryExecution", {}),
    ("athena", "getQueryExecution", "athena", "GetQueryExecution", {}),
    ("athena", "getQueryResults", "athena", "GetQueryResults", {}),
    ("eks", "createCluster", "eks", "CreateCluster", {}),
    ("eks", "deleteCluster", "eks", "DeleteCluster", {}),
    ("eks", "createFargateProfile", "eks", "CreateFargateProfile", {}),
    ("eks", "deleteFargateProfile", "eks", "DeleteFargateProfile", {}),
    ("eks", "createNodegroup", "eks", "CreateNodegroup", {}),
    ("eks", "deleteNodegroup", "eks", "DeleteNodegroup", {}),
    ("bedrock", "invokeModel", "bedrock-runtime", "InvokeModel", {"Body": "@any"}),
    ("bedrock", "createModelCustomizationJob", "bedrock", "CreateModelCustomizationJob", {}),
]

# aws-sdk services kept whole (every operation): the corpus's (kms, lambda, s3) and the ones
# Step Functions users call most through aws-sdk tasks. Sizes: `generate.py --measure`.
SDK_SERVICES = [
    "s3", "lambda", "kms", "dynamodb", "sqs", "sns", "stepfunctions", "events",
    "secretsmanager", "ssm", "sts", "cloudwatch", "logs", "scheduler",
]

SCALARS = {"string", "blob", "integer", "long", "float", "double", "boolean", "timestamp"}


def sdk_name(model):
    sid = model["metadata"]["serviceId"]
    return sid.lower().replace(" ", "").replace("-", "")


def lower_camel(op):
    return op[0].lower() + op[1:]


def cap(name):
    return name[:1].upper() + name[1:]


class Service:
    def __init__(self, loader, name):
        self.name = name
        self.model = loader.load_service_model(name, "service-2")
        self.shapes = self.model["shapes"]
        self.out = {}  # name -> compact shape
        self.ops = {}

    def ref(self, name):
        shape = self.shapes[name]
        t = shape["type"]
        if t in SCALARS and not any(k in shape for k in ("min", "max", "enum")):
            return "@" + t
        if t == "structure" and shape.get("document"):
            return "@any"
        if name not in self.out:
            self.out[name] = None  # cycle guard
            self.out[name] = self.compact(shape)
        return name

    def compact(self, shape):
        t = shape["type"]
        if t == "structure":
            members = {cap(m): self.ref(r["shape"]) for m, r in shape.get("members", {}).items()}
            req = [cap(m) for m in shape.get("required", [])]
            return ["s", members, req] if req else ["s", members]
        if t == "list":
            return trim(["l", self.ref(shape["member"]["shape"]), shape.get("min"), shape.get("max")])
        if t == "map":
            return ["m", self.ref(shape["key"]["shape"]), self.ref(shape["value"]["shape"])]
        return trim([t, shape.get("min"), shape.get("max"), shape.get("enum")])

    def add_op(self, op, key=None, overrides=None):
        spec = self.model["operations"][op]
        key = key or lower_camel(op)
        if "output" not in spec:
            self.out.setdefault("Empty", ["s", {}])
            self.ops[key] = "Empty"
            return
        name = self.ref(spec["output"]["shape"])
        if overrides:
            base = self.out[name]
            members = dict(base[1])
            members.update(overrides)
            name = name + "$opt"
            self.out[name] = [base[0], members] + base[2:]
        self.ops[key] = name

    def line(self):
        return self.name_key() + "\t" + json.dumps({"o": self.ops, "s": self.out}, separators=(",", ":"))

    def name_key(self):
        return sdk_name(self.model)


def trim(xs):
    while xs and xs[-1] is None:
        xs.pop()
    return xs


def build(sdk_services):
    loader = botocore.loaders.create_loader()
    services = {}

    def service(name):
        if name not in services:
            services[name] = Service(loader, name)
        return services[name]

    for name in sdk_services:
        s = service(name)
        for op in s.model["operations"]:
            s.add_op(op)
    integrations = {}
    for rs, action, bs, op, overrides in OPTIMISED:
        s = service(bs)
        key = ("$" + lower_camel(op)) if overrides else lower_camel(op)
        s.add_op(op, key, overrides)
        integrations[f"{rs}:{action}"] = f"{s.name_key()} {key}"
    lines = [f"#botocore {botocore.__version__}",
             "@integrations\t" + json.dumps(integrations, separators=(",", ":"), sort_keys=True)]
    lines += sorted(s.line() for s in services.values())
    return "\n".join(lines) + "\n"


def size(text):
    return len(text.encode()), len(gzip.compress(text.encode(), 9))


def measure():
    loader = botocore.loaders.create_loader()
    base = build([])
    print("optimised only: %d B, %d B gzip" % size(base))
    rows = []
    for name in loader.list_available_services("service-2"):
        s = Service(loader, name)
        for op in s.model["operations"]:
            s.add_op(op)
        rows.append((size(s.line()), s.name_key()))
    rows.sort(reverse=True)
    total = [sum(r[0][0] for r in rows), sum(r[0][1] for r in rows)]
    print("every service whole: %d B, %d B gzip (%d services)" % (total[0], total[1], len(rows)))
    for (raw, gz), n in rows:
        if n in {sdk_name(Service(loader, x).model) for x in SDK_SERVICES} or raw > 400000:
            print("  %-24s %8d B %7d B gzip" % (n, raw, gz))


if __name__ == "__main__":
    if "--measure" in sys.argv:
        measure()
    else:
        out = sys.argv[1] if len(sys.argv) > 1 else "crates/engine/data/response_shapes.txt"
        text = build(SDK_SERVICES)
        with open(out, "w") as f:
            f.write(text)
        print("%s: %d B, %d B gzip" % ((out,) + size(text)))
