#!/usr/bin/env python3
"""Seeds the fuzz corpora from the conformance cases (never edited, only read).
usage: seed_corpus.py OUT_DIR ->
  OUT_DIR/pattern_parse/*   pattern text             (pattern cases)
  OUT_DIR/pattern_match/*   pattern NUL event        (pattern cases)
  OUT_DIR/asl_definition/*  definition text          (ASL execution cases)
  OUT_DIR/asl_execution/*   definition NUL input     (ASL execution cases)
  OUT_DIR/asl_jsonpath/*    each `$…` path a definition holds
  OUT_DIR/asl_intrinsic/*   each `States.…(…)` call a definition holds
  OUT_DIR/source_json/*     events, definitions and examples as JSON text (pretty and on one line)
  OUT_DIR/template/*        the app's sample template and templates made from the examples
  OUT_DIR/artifacts/*       the app's sample history and events, and events from pattern cases
  OUT_DIR/transform/*       each InputTransformer target of the examples NUL its event
  OUT_DIR/jsonata/*         JSONata expressions NUL their input (JSONata cases)
and, when the engine's tests keep regression inputs (tests/fuzz_regressions/<target>/), those too."""
import glob, hashlib, json, os, shutil, sys

out = sys.argv[1] if len(sys.argv) > 1 else "corpus"
here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "../../../../shared/conformance")
TARGETS = ("pattern_parse", "pattern_match", "asl_definition", "asl_execution", "asl_jsonpath",
           "asl_intrinsic", "source_json", "template", "artifacts", "transform", "jsonata")
www = os.path.join(here, "../../../www")
for target in TARGETS:
    os.makedirs(os.path.join(out, target), exist_ok=True)
counts = dict.fromkeys(TARGETS, 0)


def put(target, text):
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    path = os.path.join(out, target, hashlib.sha1(raw).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(raw)
        counts[target] += 1


for path in sorted(glob.glob(os.path.join(shared, "patterns/cases/*.json"))):
    for case in json.load(open(path)):
        pattern = case.get("pattern_text") or json.dumps(case.get("pattern"))
        event = case.get("event_text") or json.dumps(case.get("event", {}))
        put("pattern_parse", pattern)
        put("pattern_match", pattern + "\0" + event)
        if len(event) < 4096:
            put("source_json", event)
            put("artifacts", event)


def strings(value):
    """Every string in a JSON value, member names included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)


# Definitions past this size only slow every execution of the fuzzer down; the small ones cover
# the same states.
MAX_DEFINITION = 4096
for path in sorted(glob.glob(os.path.join(shared, "asl/cases/**/*.json"), recursive=True)):
    try:
        case = json.load(open(path))
    except ValueError:
        continue
    definition = case.get("definition")
    if not isinstance(definition, dict):
        continue
    text = json.dumps(definition, indent=1)
    if len(text) <= MAX_DEFINITION:
        put("asl_definition", text)
        put("asl_execution", text + "\0" + json.dumps(case.get("input", {})))
    for s in strings(definition):
        if s.startswith("$") and len(s) < 200:
            put("asl_jsonpath", s)
        if s.startswith("States.") and "(" in s and len(s) < 300:
            put("asl_intrinsic", s)

for path in sorted(glob.glob(os.path.join(shared, "jsonata/groups/*/*.json"))):
    try:
        case = json.load(open(path))
    except ValueError:
        continue
    for one in case if isinstance(case, list) else [case]:
        expr = one.get("expr") if isinstance(one, dict) else None
        if isinstance(expr, str) and len(expr) < 2000:
            data = one.get("data")
            put("jsonata", expr + ("\0" + json.dumps(data) if data is not None else ""))

for path in sorted(glob.glob(os.path.join(www, "examples/*.json"))):
    example = json.load(open(path))
    text = json.dumps(example, indent=2)
    if len(text) < 16384:
        put("source_json", text)
        put("source_json", json.dumps(example))
    if isinstance(example, dict):
        event = json.dumps(example.get("event", {}))
        rules = example.get("rules") or []
        rules = rules.get("Rules", []) if isinstance(rules, dict) else rules
        for target in (t for r in rules if isinstance(r, dict)
                       for t in (r.get("Targets") or []) if isinstance(t, dict)):
            if "InputTransformer" in target or "Input" in target or "InputPath" in target:
                put("transform", json.dumps(target) + "\0" + event)
for name in ("template.yaml", "history.json", "events.jsonl"):
    path = os.path.join(www, "artifacts", name)
    if os.path.exists(path):
        text = open(path).read()
        put("template" if name.endswith("yaml") else "artifacts", text)
        if name.endswith("json"):
            put("source_json", text)

regressions = os.path.join(here, "../tests/fuzz_regressions")
for target in TARGETS:
    for path in glob.glob(os.path.join(regressions, target, "*")):
        put(target, open(path, "rb").read())

print("seeded into " + out + ": " + ", ".join(f"{t} {n}" for t, n in counts.items()))
