#!/usr/bin/env python3
"""Seeds the fuzz corpora from the conformance cases (never edited, only read).
usage: seed_corpus.py OUT_DIR ->
  OUT_DIR/pattern_parse/*   pattern text             (pattern cases)
  OUT_DIR/pattern_match/*   pattern NUL event        (pattern cases)
  OUT_DIR/asl_definition/*  definition text          (ASL execution cases)
  OUT_DIR/asl_execution/*   definition NUL input     (ASL execution cases)
  OUT_DIR/asl_jsonpath/*    each `$…` path a definition holds
  OUT_DIR/asl_intrinsic/*   each `States.…(…)` call a definition holds
and, when the engine's tests keep regression inputs (tests/fuzz_regressions/<target>/), those too."""
import glob, hashlib, json, os, shutil, sys

out = sys.argv[1] if len(sys.argv) > 1 else "corpus"
here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "../../../../shared/conformance")
TARGETS = ("pattern_parse", "pattern_match", "asl_definition", "asl_execution", "asl_jsonpath",
           "asl_intrinsic")
for target in TARGETS:
    os.makedirs(os.path.join(out, target), exist_ok=True)
counts = dict.fromkeys(TARGETS, 0)


def put(target, text):
    raw = text.encode() if isinstance(text, str) else text
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

regressions = os.path.join(here, "../tests/fuzz_regressions")
for target in TARGETS:
    for path in glob.glob(os.path.join(regressions, target, "*")):
        put(target, open(path, "rb").read())

print("seeded into " + out + ": " + ", ".join(f"{t} {n}" for t, n in counts.items()))
