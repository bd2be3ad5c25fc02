"""Loads every response example of the spec into the model openapi-generator made for it.

Usage: python python_examples.py <spec.yaml> <generated python package dir>
Exit status 0 when every example loads and round-trips to the same JSON; 1 otherwise.
"""
import datetime
import importlib
import json
import re
import sys

import yaml

spec_path, package_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, package_dir)
package = importlib.import_module("opentact_client")
spec = yaml.safe_load(open(spec_path))


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def normalise(value):
    """What a round trip may change without changing meaning: absent optional fields come
    back as nulls (dropped here) and timestamps are reformatted (compared as instants)."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


checked, failures = 0, []
for path, item in spec["paths"].items():
    for method, op in item.items():
        if method not in ("get", "post", "put", "patch", "delete"):
            continue
        for code, response in op["responses"].items():
            media = resolve(response).get("content", {}).get("application/json")
            if not media:
                continue
            schema_name = media["schema"]["$ref"].rsplit("/", 1)[1]
            model = getattr(package, schema_name)
            for name, example in media.get("examples", {}).items():
                value = resolve(example)["value"]
                where = f"{op['operationId']} {code} {name} -> {schema_name}"
                checked += 1
                try:
                    loaded = model.from_dict(value)
                    again = json.loads(loaded.to_json())
                    if normalise(again) != normalise(value):
                        failures.append(f"{where}: does not round-trip")
                except Exception as e:  # report every failure, not just the first
                    failures.append(f"{where}: {type(e).__name__}: {str(e)[:300]}")

for failure in failures:
    print(failure)
print(f"{checked} response examples, {len(failures)} failures")
sys.exit(1 if failures or checked == 0 else 0)
