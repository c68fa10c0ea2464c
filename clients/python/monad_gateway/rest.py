"""REST helpers: the gateway's GET endpoints as typed results, errors as RestError with the server's
message. Synchronous on the standard library (urllib); AsyncRestClient runs the same calls in a
worker thread so they do not block an event loop."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any, TypeVar

from ._convert import from_json
from .bodies import BlockLifecycleSummary, ContentionData, HealthResponse, StatusResponse, TpsResponse
from .errors import RestError
from .urls import http_base

T = TypeVar("T")


class RestClient:
    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        """base_url: the gateway's address (http://, https://, or its ws:// URL)."""
        self.base_url = http_base(base_url)
        self.timeout = timeout

    def tps(self) -> TpsResponse:
        return from_json(TpsResponse, self.get_json("/v1/tps"))

    def status(self) -> StatusResponse:
        return from_json(StatusResponse, self.get_json("/v1/status"))

    def contention(self) -> ContentionData:
        """ContentionData of the last ended block; RestError 404 (code no_data) before the first."""
        return from_json(ContentionData, self.get_json("/v1/contention"))

    def lifecycle(self) -> list[BlockLifecycleSummary]:
        """Recent blocks: completed ones oldest first, then active ones by block number."""
        return from_json(list[BlockLifecycleSummary], self.get_json("/v1/blocks/lifecycle"))

    def block_lifecycle(self, block_number: int) -> BlockLifecycleSummary:
        """One recent block; RestError 404 (code not_found) when it is not (or no longer) tracked."""
        if isinstance(block_number, bool) or not isinstance(block_number, int) or block_number < 0:
            raise ValueError(f"block_number must be a non-negative int, got {block_number!r}")
        return from_json(BlockLifecycleSummary, self.get_json(f"/v1/blocks/{block_number}/lifecycle"))

    def health(self) -> HealthResponse:
        """Liveness. An unhealthy gateway answers 503 with the same body: returned, not raised."""
        return from_json(HealthResponse, self.get_json("/health", accept=(503,)))

    def get_json(self, path: str, accept: tuple[int, ...] = ()) -> Any:
        """GETs `path` and parses the JSON body; 4xx/5xx (other than `accept`) raise RestError."""
        req = urllib.request.Request(self.base_url + path, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as e:
            body = _body(e.read())
            if e.code in accept:
                return body
            raise RestError.from_body(e.code, body) from None


def _body(raw: bytes) -> Any:
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


class AsyncRestClient:
    """RestClient's calls as coroutines."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.sync = RestClient(base_url, timeout=timeout)

    async def tps(self) -> TpsResponse:
        return await asyncio.to_thread(self.sync.tps)

    async def status(self) -> StatusResponse:
        return await asyncio.to_thread(self.sync.status)

    async def contention(self) -> ContentionData:
        return await asyncio.to_thread(self.sync.contention)

    async def lifecycle(self) -> list[BlockLifecycleSummary]:
        return await asyncio.to_thread(self.sync.lifecycle)

    async def block_lifecycle(self, block_number: int) -> BlockLifecycleSummary:
        return await asyncio.to_thread(self.sync.block_lifecycle, block_number)

    async def health(self) -> HealthResponse:
        return await asyncio.to_thread(self.sync.health)
