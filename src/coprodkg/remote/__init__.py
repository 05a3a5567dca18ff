"""Remote triple stores: query them (SPARQL 1.1 Protocol), push and pull graphs (Graph Store Protocol).

The package is laid out the way httpx is, one idea per module:

- :mod:`~coprodkg.remote.transport`: one request out, one whole answer back, within a deadline and
  a size cap; authentication, retries, and every failure as a
  :class:`~coprodkg.remote.transport.TransportError` carrying the HTTP status;
- :mod:`~coprodkg.remote.engine`: :class:`RemoteGraph`, the SPARQL protocol as an engine;
- :mod:`~coprodkg.remote.answers`: results and RDF answers parsed safely (nesting cap, no
  entities, no fetched JSON-LD contexts);
- :mod:`~coprodkg.remote.transfer`: :func:`push_graph` and :func:`pull_graph`;
- :mod:`~coprodkg.remote.text`: credentials removed from URLs, server text made printable.
"""

from __future__ import annotations

from .engine import RemoteGraph
from .transfer import PushReport, pull_graph, push_graph
from .transport import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    PASSWORD_ENV,
    USER_AGENT,
    USER_ENV,
    Transport,
    TransportError,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "PASSWORD_ENV",
    "USER_AGENT",
    "USER_ENV",
    "PushReport",
    "RemoteGraph",
    "Transport",
    "TransportError",
    "pull_graph",
    "push_graph",
]
