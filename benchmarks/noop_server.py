"""The real server with one more route, ``POST /bench/noop``: the baseline for ingest.

It reads the body and answers a small JSON, and nothing else, on the same process, framework,
middleware, authorization (declared as a collector's route) and uvicorn settings as
``POST /api/tracking/telemetry``; the difference between the two is the cost of validation,
storage and fan-out.

    python -m benchmarks.noop_server --port 3000
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import Request

from godmode_server.app import create_app
from godmode_server.errors import JsonResponse
from godmode_server.http.authorization import Need, declare
from godmode_server.serving.config import server_config
from godmode_server.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(dev=True, port=args.port).resolved()
    app = create_app(settings)
    # Authorized as ingest is (the collectors' rate limits included), so the two compare.
    declare("POST", "/bench/noop", Need.COLLECTOR)

    @app.post("/bench/noop", include_in_schema=False)
    async def noop(request: Request) -> JsonResponse:
        await request.body()
        return JsonResponse({"status": "success"})

    uvicorn.Server(server_config(app, settings, "warning")).run()


if __name__ == "__main__":
    main()
