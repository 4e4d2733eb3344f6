"""Response validation throughput of openapi-core on the same corpus as the Rust example
`throughput`: every recorded exchange under the given directories, validated over and over on
one thread. Run by throughput.sh, which pins openapi-core."""

import json
import pathlib
import sys
import time
from urllib.parse import parse_qsl, urlsplit

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse


def main() -> None:
    spec, *rest = sys.argv[1:]
    total = 20_000
    if "--total" in rest:
        at = rest.index("--total")
        total = int(rest[at + 1])
        del rest[at : at + 2]
    openapi = OpenAPI.from_file_path(spec)
    corpus = []
    for directory in rest:
        for path in sorted(pathlib.Path(directory).rglob("*.json")):
            exchange = json.loads(path.read_text())
            url = urlsplit(exchange["url"])
            request = MockRequest(
                "https://api.music.amazon.dev",
                exchange["method"].lower(),
                url.path,
                args=dict(parse_qsl(url.query)),
            )
            body = json.dumps(exchange["body"]).encode() if "body" in exchange else b""
            response = MockResponse(
                body,
                status_code=exchange["status"],
                content_type="application/json" if body else None,
            )
            corpus.append((request, response))
    for request, response in corpus:  # warm-up, and a check that all conform
        openapi.validate_response(request, response)
    started = time.perf_counter()
    for i in range(total):
        request, response = corpus[i % len(corpus)]
        openapi.validate_response(request, response)
    seconds = time.perf_counter() - started
    print(
        f"openapi-core: {total} responses ({len(corpus)} distinct) in {seconds:.3f} s"
        f" = {total / seconds:.0f} responses/s"
    )


if __name__ == "__main__":
    main()
