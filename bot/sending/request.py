"""The Bot API request object, telling "certainly not sent" apart from "may have arrived".

python-telegram-bot raises `NetworkError` (or `TimedOut`) for every failed request. For the
outbox the difference matters: a refused connection, a connect or pool timeout, or a 5xx
answer means Telegram did not take the message, so it is sent again later (`NotTakenError`);
a timeout after the request was written may mean it arrived, so it must never be sent twice.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp
import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Errors raised before any byte of the request reached the server: aiohttp's (ours) and httpx's
# (python-telegram-bot's own request, which an operator or a test may still pass in).
_BEFORE_SENDING = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
    aiohttp.ClientHttpProxyError,  # the proxy refused to CONNECT to Telegram
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


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


class AiohttpRequest(BaseRequest):
    """The Bot API over aiohttp's client: the same requests as python-telegram-bot's httpx one.

    At hundreds of sends a second httpcore's pool looks at every connection for every request
    and the sending process runs out of CPU (docs/benchmarks.md); aiohttp's pool hands out an
    idle connection without that scan. Errors are raised as the library's own `TimedOut` and
    `NetworkError`, with aiohttp's exception as the cause (`ClassifyingRequest` reads it).
    """

    def __init__(
        self,
        pool_size: int = 64,
        read_timeout: float = 15.0,
        connect_timeout: float = 10.0,
        proxy_variables: Iterable[tuple[str, str]] | None = None,
    ) -> None:
        """`proxy_variables`: HTTPS_PROXY, NO_PROXY and the like as (name, value) pairs (None:
        the process environment's), as the settings read them from the environment and .env."""
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        # aiohttp counts the wait for a pooled connection in it too (httpx's pool timeout).
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None
        variables = os.environ.items() if proxy_variables is None else proxy_variables
        self._proxy_names = _proxies(variables)
        self._proxies: dict[tuple[str, str], dict[str, Any]] = {}

    @property
    def read_timeout(self) -> float:
        """How long to wait for an answer unless a call says otherwise."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the connection pool (on the running event loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    def _proxy_for(self, url: str) -> dict[str, Any]:
        """aiohttp's options for the environment's proxy for `url`, read once per host:
        aiohttp's own `trust_env` reads the environment and ~/.netrc again, in a thread, for
        every request (a fifth of a busy bot's CPU, docs/benchmarks.md)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            self._proxies[key] = _proxy_options(self._proxy_names, *key)
        return self._proxies[key]

    async def shutdown(self) -> None:
        """Close the pool's connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

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
        """One call: the HTTP status and the body of Telegram's answer."""
        if self._session is None:
            await self.initialize()
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(
            connect=_given(connect_timeout, self._connect_timeout),
            sock_read=_given(read_timeout, self._read_timeout),
        )
        try:
            async with self._session.request(
                method, url, timeout=timeout, **self._proxy_for(url), **_body(request_data)
            ) as response:
                return response.status, await response.read()
        except aiohttp.ClientConnectorError as err:  # its text names host and port only
            raise NetworkError(f"aiohttp.ClientConnectorError: {err}") from err
        except aiohttp.ConnectionTimeoutError as err:  # its text has the URL, with the token
            raise NetworkError("aiohttp.ConnectionTimeoutError: no connection in time") from err
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # The request may have reached Telegram: never resent (see ClassifyingRequest).
            raise NetworkError(f"aiohttp.{type(err).__name__}") from err


def _proxies(variables: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Scheme (or "no") → value of the `*_proxy` variables, read as the standard library reads
    the environment's: any case, the lower-case spelling first."""
    named: dict[str, str] = {}
    for name, value in sorted(variables, key=lambda pair: pair[0].islower()):
        if value and name.lower().endswith("_proxy"):
            named[name[: -len("_proxy")].lower()] = value
    return named


def _bypassed(host: str, named: dict[str, str]) -> bool:
    """Whether NO_PROXY (`named["no"]`) names `host`: the standard library's reading of it."""
    reads = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]  # not in typeshed
    return bool(reads(host, named))


def _proxy_options(named: dict[str, str], scheme: str, host: str) -> dict[str, Any]:
    """The proxy that HTTP_PROXY / HTTPS_PROXY / NO_PROXY name for `host`, as httpx read them,
    as aiohttp's request options (a user and password in the proxy's URL log in to it)."""
    proxy_url = named.get(scheme)
    if proxy_url is None or (host and _bypassed(host, named)):
        return {}
    proxy = urlsplit(proxy_url)
    if proxy.username is None:
        return {"proxy": proxy_url}
    login = {
        "Proxy-Authorization": aiohttp.encode_basic_auth(
            unquote(proxy.username), unquote(proxy.password or "")
        )
    }
    address = proxy._replace(netloc=proxy.netloc.rpartition("@")[2]).geturl()
    # To an https address (Telegram's) the login goes with the CONNECT; a plain http request
    # is handed to the proxy whole, the login among its headers.
    return {"proxy": address, "proxy_headers" if scheme == "https" else "headers": login}


def _given(value: Any, default: float) -> float | None:
    """A per-call timeout, or ours when the call left it to the request object."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


def _body(request_data: RequestData | None) -> dict[str, Any]:
    """The call's fields as Telegram takes them: a JSON body, or multipart when a file goes
    along. (JSON costs a fraction of aiohttp's url-encoding of every field, measured in
    docs/benchmarks.md.)"""
    if request_data is None:
        return {}
    if not request_data.contains_files:
        return {"json": request_data.parameters}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return {"data": form}
