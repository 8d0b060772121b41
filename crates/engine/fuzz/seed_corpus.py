#!/usr/bin/env python3
"""Seeds the fuzz corpora from the pattern conformance cases (never edited, only read).
usage: seed_corpus.py OUT_DIR   -> OUT_DIR/pattern_parse/*, OUT_DIR/pattern_match/* (pattern NUL event)"""
import glob, hashlib, json, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else "corpus"
cases_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/conformance/patterns/cases")
for target in ("pattern_parse", "pattern_match"):
    os.makedirs(os.path.join(out, target), exist_ok=True)
seen = 0
for path in sorted(glob.glob(os.path.join(cases_dir, "*.json"))):
    for case in json.load(open(path)):
        pattern = case.get("pattern_text") or json.dumps(case.get("pattern"))
        event = case.get("event_text") or json.dumps(case.get("event", {}))
        for target, data in (("pattern_parse", pattern), ("pattern_match", pattern + "\0" + event)):
            raw = data.encode()
            name = hashlib.sha1(raw).hexdigest()
            with open(os.path.join(out, target, name), "wb") as f:
                f.write(raw)
        seen += 1
print(f"{seen} cases seeded into {out}")
