#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ from the spec's
examples and the recordings: `python3 fuzz/seed.py` (needs PyYAML). Deterministic; the files it
writes are committed, and running it again changes nothing unless the spec or the recordings
changed. Files a fuzzer adds to the same directories are ignored by git (see .gitignore).

* decode_responses: every response example of spec/openapi.yaml and every recording's body.
* validate_exchange: every recording as recorded, one HAR archive of them, and every response
  example as a bare body.
* mock_requests: one request per operation (path, query, headers, body from the spec's request
  examples and the recordings), the Login with Amazon emulator's routes, and a few sequences.
"""

import json
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPEC = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
CORPUS = ROOT / "fuzz" / "corpus"
METHODS = ("get", "put", "post", "delete", "patch")
SEPARATOR = "\n~~~\n"

# The mock's defaults (MockConfig::default(), LwaConfig::default()).
API_KEY = "mock-api-key"
TOKEN = "mock-token"
CLIENT_ID = "mock-client-id"


def node_ref(ref):
    return [p.replace("~1", "/").replace("~0", "~") for p in ref.lstrip("#/").split("/")]


def deref(node):
    while isinstance(node, dict) and "$ref" in node:
        target = SPEC
        for part in node_ref(node["$ref"]):
            target = target[part]
        node = target
    return node


def examples(content):
    """(name, value) of every example of a media type object."""
    out = []
    if "example" in content:
        out.append(("example", content["example"]))
    for name, example in (content.get("examples") or {}).items():
        example = deref(example)
        if "value" in example:
            out.append((name, example["value"]))
    return out


def operations():
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def dump(value):
    return json.dumps(value, indent=2, sort_keys=False) + "\n"


def write(target, name, text):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    (directory / name).write_text(text)


def recordings():
    for path in sorted((ROOT / "spec" / "recordings").glob("*/*.json")):
        yield f"{path.parent.name}-{path.stem}", path.read_text(), json.loads(path.read_text())


def response_examples():
    seen = set()
    for _, _, op in operations():
        for status, response in op.get("responses", {}).items():
            response = deref(response)
            for content in (response.get("content") or {}).values():
                for name, value in examples(content):
                    text = dump(value)
                    if text not in seen:
                        seen.add(text)
                        yield f"{op['operationId']}-{status}-{name}", text


def request_example(op):
    body = op.get("requestBody")
    if not body:
        return None
    for content in deref(body).get("content", {}).values():
        for _, value in examples(content):
            return json.dumps(value)
    return "{}"


# Path parameters no recording gives: the documented session and entity of the spec's examples.
SESSION = "a133859e-44e6-4917-8893-fe36c8ea312a"
ENTITY = "526af97e-8396-4b5a-ae26-7ee95999d34c"
FILL = {"id": "B0064UPU4G", "sessionId": SESSION, "entityReferenceId": ENTITY}


def http(method, target, headers=(), body=""):
    head = [f"{method} {target}", *[f"{k}: {v}" for k, v in headers]]
    return "\n".join(head) + "\n\n" + body


def api(method, target, body=None):
    headers = [("x-api-key", API_KEY), ("authorization", f"Bearer {TOKEN}")]
    if body is not None:
        headers.append(("content-type", "application/json"))
    return http(method, target, headers, body or "")


def form(method, target, fields, headers=()):
    body = "&".join(f"{k}={v}" for k, v in fields)
    return http(
        method,
        target,
        [("host", "127.0.0.1:8080"), ("content-type", "application/x-www-form-urlencoded"), *headers],
        body,
    )


def main():
    for stale in CORPUS.glob("*/*"):
        stale.unlink()

    # decode_responses
    for name, text in response_examples():
        write("decode_responses", name + ".json", text)
    for name, _, recording in recordings():
        if "body" in recording:
            write("decode_responses", f"recording-{name}.json", dump(recording["body"]))

    # validate_exchange
    har_entries = []
    for name, raw, recording in recordings():
        write("validate_exchange", f"recording-{name}.json", raw)
        if name.startswith("docs-") and len(har_entries) < 3:
            har_entries.append(
                {
                    "request": {
                        "method": recording["method"],
                        "url": "https://api.music.amazon.dev" + recording["url"],
                        "headers": [],
                    },
                    "response": {
                        "status": recording["status"],
                        "headers": [
                            {"name": k, "value": v} for k, v in recording.get("headers", {}).items()
                        ],
                        "content": {
                            "mimeType": "application/json",
                            "text": json.dumps(recording.get("body")),
                        },
                    },
                }
            )
    write("validate_exchange", "har-docs.har", dump({"log": {"version": "1.2", "entries": har_entries}}))
    for name, text in response_examples():
        write("validate_exchange", f"body-{name}.json", text)

    # mock_requests: every operation ...
    recorded = {}
    for name, _, recording in recordings():
        recorded.setdefault(name.split("-")[1], recording["url"])
    for method, path, op in operations():
        target = recorded.get(op["operationId"]) or "/v1" + re.sub(
            r"\{(\w+)\}", lambda m: FILL[m.group(1)], path
        )
        write("mock_requests", f"api-{op['operationId']}", api(method, target, request_example(op)))
    # ... the sign-in emulator's routes ...
    lwa = {
        "codepair": form(
            "POST",
            "/auth/o2/create/codepair",
            [("response_type", "device_code"), ("client_id", CLIENT_ID), ("scope", "music%3A%3Acatalog+music%3A%3Aplayback")],
        ),
        "token-device": form(
            "POST",
            "/auth/o2/token",
            [
                ("grant_type", "device_code"),
                ("device_code", "AbCdEfGhIjKlMnOp"),
                ("user_code", "ABCD1234"),
                ("client_id", CLIENT_ID),
            ],
        ),
        "token-refresh": form(
            "POST",
            "/auth/o2/token",
            [("grant_type", "refresh_token"), ("refresh_token", "Atzr%7Cmock"), ("client_id", CLIENT_ID)],
        ),
        "token-code": form(
            "POST",
            "/auth/o2/token",
            [
                ("grant_type", "authorization_code"),
                ("code", "ANmock"),
                ("redirect_uri", "http%3A%2F%2F127.0.0.1%3A53682%2Fcallback"),
                ("client_id", CLIENT_ID),
                ("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            ],
        ),
        "authorize": http(
            "GET",
            "/ap/oa?client_id=mock-client-id&scope=music%3A%3Acatalog+music%3A%3Aplayback&response_type=code"
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&state=xyz"
            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        ),
        "code-page": http("GET", "/code", [("host", "127.0.0.1:8080")]),
        "code-submit": form("POST", "/code", [("user_code", "ABCD-1234")]),
    }
    for name, text in lwa.items():
        write("mock_requests", f"lwa-{name}", text)
    # ... and sequences that reach state: a device flow, a code grant, a session that moves.
    write(
        "mock_requests",
        "seq-device-flow",
        SEPARATOR.join([lwa["codepair"], lwa["code-page"], lwa["code-submit"], lwa["token-device"]]),
    )
    write("mock_requests", "seq-code-grant", SEPARATOR.join([lwa["authorize"], lwa["token-code"], lwa["token-refresh"]]))
    create = next(op for _, _, op in operations() if op["operationId"] == "createPlaybackSession")
    write(
        "mock_requests",
        "seq-library-and-playback",
        SEPARATOR.join(
            [
                api("PUT", "/v1/me/library/albums/B00D3PLC1K"),
                api("GET", "/v1/me/library/albums?limit=1"),
                api("DELETE", "/v1/me/library/albums/B00D3PLC1K"),
                api("POST", "/v1/playback/sessions", request_example(create)),
                api("GET", "/v1/playback/sessions/active"),
            ]
        ),
    )
    write("mock_requests", "unknown-path", api("GET", "/v1/nothing/here?x=%zz"))
    write("mock_requests", "no-credentials", http("GET", "/v1/albums/B0064UPU4G"))

    for directory in sorted(CORPUS.iterdir()):
        print(f"{directory.relative_to(ROOT)}: {len(list(directory.iterdir()))} files")


if __name__ == "__main__":
    main()
