"""The Bot API request object, telling "certainly not sent" apart from "may have arrived".

python-telegram-bot raises `NetworkError` (or `TimedOut`) for every failed request. For the
outbox the difference matters: a refused connection, a connect or pool timeout, or a 5xx
answer means Telegram did not take the message, so it is sent again later (`NotTakenError`);
a timeout after the request was written may mean it arrived, so it must never be sent twice.
"""

from __future__ import annotations

from typing import Any

import httpx
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

# httpx errors raised before any byte of the request reached the server.
_BEFORE_SENDING = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class NotTakenError(NetworkError):
    """The request certainly did not reach Telegram (or Telegram failed to take it: 5xx)."""


class ClassifyingRequest(BaseRequest):
    """Wraps a request object: raises `NotTakenError` where the request did not leave."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        """The inner request's read timeout."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Open the inner request's connections."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close the inner request's connections."""
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the request; `NotTakenError` when it never left or Telegram answered 5xx."""
        try:
            code, payload = await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except NetworkError as exc:
            cause = exc.__cause__
            if isinstance(cause, _BEFORE_SENDING):
                raise NotTakenError(f"not sent: {type(cause).__name__}") from exc
            raise
        except _BEFORE_SENDING as exc:
            raise NotTakenError(f"not sent: {type(exc).__name__}") from exc
        if code >= 500:
            raise NotTakenError(f"Bot API answered {code}")
        return code, payload
