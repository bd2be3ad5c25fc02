"""Decodes one response document with a model of an openapi-generator Python client.

Usage: python decode_python.py <generated package dir> <model class> <response.json>
Prints one JSON line: {"decoded": true, "value": <the model's to_dict()>} or
{"decoded": false, "error": "..."}; exits 0 either way (the caller decides what is right).
"""
import importlib
import json
import sys

package_dir, model, document = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, package_dir)
models = importlib.import_module("opentact_client.models")
with open(document) as f:
    text = f.read()
try:
    value = getattr(models, model).from_json(text)
    print(json.dumps({"decoded": True, "value": json.loads(value.to_json())}))
except Exception as error:  # the control expects a validation error; report any failure
    print(json.dumps({"decoded": False, "error": f"{type(error).__name__}: {error}"}))
