"""The remote engine: the SPARQL 1.1 Protocol over a :class:`~coprodkg.remote.transport.Transport`.

:class:`RemoteGraph` is an :class:`~coprodkg.engine.Engine`, so ``query``, ``info``, ``show`` and
``search`` work on any store that speaks the protocol (Fuseki, GraphDB, Virtuoso, Oxigraph server,
QLever, Neptune) and give the same :class:`~coprodkg.results.Result` as the embedded engine.

Queries go as an HTML-form POST (``query=``, with ``default-graph-uri``/``named-graph-uri`` when
scoped); updates go as ``application/sparql-update`` bodies, a content type no cross-site web
form can send (which is why ``coprodkg serve --writable`` accepts it without an Origin).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

from rdflib import URIRef
from rdflib.term import Node

from ..binding import bind_values
from ..errors import EndpointError, QueryError
from ..formats import ResultKind
from ..results import Result
from ..sparql import GRAPH_FORMS, query_form, with_prefixes
from .answers import JSON_TYPES, RDF_ACCEPT, parse_rdf, parse_solutions
from .text import has_credentials, printable, redact
from .transport import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, PASSWORD_ENV, USER_ENV, Answer, Request, Transport

__all__ = ["RemoteGraph", "check_iri", "check_url"]

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


def check_url(url: str, name: str) -> str:
    """``url`` if it is an http(s) URL without credentials; else an error naming parameter ``name``.

    >>> check_url("ftp://me:pw@example.org/x", "endpoint")
    Traceback (most recent call last):
    ...
    coprodkg.errors.EndpointError: endpoint must not carry credentials (ftp://example.org/x): set COPRODKG_USER and COPRODKG_PASSWORD, or use ~/.netrc
    """
    shown = printable(redact(url))
    if has_credentials(url):
        raise EndpointError(
            f"{name} must not carry credentials ({shown}): set {USER_ENV} and {PASSWORD_ENV}, or use ~/.netrc"
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise EndpointError(f"{name} is not a valid URL ({printable(str(error), 80)}): {shown}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise EndpointError(f"{name} must be an http(s) URL, got {shown}")
    return url


def check_iri(iri: str, name: str = "graph") -> str:
    """``iri`` if it is an absolute IRI; else an error naming parameter ``name``."""
    if not _IRI.fullmatch(iri):
        raise EndpointError(
            f"{name} must be an absolute IRI such as https://example.org/graph/coprodkg, got {printable(repr(iri))}"
        )
    return iri


class RemoteGraph:
    """A SPARQL endpoint as an engine; with ``graph``, every query sees only that named graph.

    Scoping by ``graph`` (sent as ``default-graph-uri`` and ``named-graph-uri``) gives the same
    answers on stores whose default graph is empty (Oxigraph server) and on stores whose default
    graph is the union of everything, system graphs included (Virtuoso). ``timeout`` is a deadline
    for each whole request, ``max_bytes`` caps each answer; ``transport`` replaces the one made
    from them (the tests pass one with a fake wire).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        graph: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        transport: Transport | None = None,
    ) -> None:
        self.transport = transport or Transport(timeout=timeout, max_bytes=max_bytes)
        self.endpoint = check_url(endpoint, "endpoint")
        self.update_endpoint = check_url(update_endpoint, "update_endpoint") if update_endpoint else None
        self.gsp_endpoint = check_url(gsp_endpoint, "gsp_endpoint") if gsp_endpoint else None
        self.graph = check_iri(graph) if graph is not None else None

    def __repr__(self) -> str:
        scope = f" graph <{self.graph}>" if self.graph else ""
        return f"<RemoteGraph {self.endpoint}{scope}>"

    def _ask(self, text: str, *, scoped: bool = True) -> Answer:
        """Send a query (never an update) by the protocol's form POST; it may be retried."""
        fields = [("query", text)]
        if self.graph and scoped:
            fields += [("default-graph-uri", self.graph), ("named-graph-uri", self.graph)]
        accept = RDF_ACCEPT if query_form(text) in GRAPH_FORMS else ", ".join(JSON_TYPES)
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        body = urlencode(fields).encode("ascii")
        return self.transport.send(Request("POST", self.endpoint, headers, body, idempotent=True))

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, *, allow_update: bool = False
    ) -> Result:
        """Run SPARQL on the endpoint, binding ``bindings`` as a ``VALUES`` block.

        A SPARQL Update is refused unless ``allow_update``; it then goes to the update endpoint,
        as written (``graph`` scopes queries, not updates).
        """
        text = with_prefixes(sparql)
        form = query_form(text)
        if form == "UPDATE":
            if not allow_update:
                raise QueryError(
                    "this is a SPARQL Update and queries are read-only: allow updates (allow_update) "
                    "to send it to the update endpoint"
                )
            self.update(text)
            return Result(ResultKind.ASK, boolean=True)
        answer = self._ask(bind_values(text, bindings) if bindings else text)
        if form in GRAPH_FORMS:
            return Result(ResultKind.GRAPH, triples=tuple(parse_rdf(answer)))  # type: ignore[arg-type]
        return parse_solutions(answer)

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update to the update endpoint (never retried)."""
        if query_form(sparql) != "UPDATE":
            raise QueryError("not a SPARQL Update")
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        url = self.update_endpoint or self.endpoint
        self.transport.send(Request("POST", url, headers, sparql.encode("utf-8"), idempotent=False))

    def count(self, graph: str) -> int:
        """How many triples the named graph holds on the server."""
        check_iri(graph)
        answer = self._ask(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", scoped=False
        )
        rows = parse_solutions(answer).rows
        try:
            return int(str(rows[0][0]))
        except (IndexError, ValueError):
            raise EndpointError(f"{answer.url} sent malformed SPARQL results: no count") from None

    def graphs(self) -> list[tuple[str, int]]:
        """The named graphs and their triple counts (only ``graph`` when the engine is scoped)."""
        if self.graph:
            return [(self.graph, self.count(self.graph))]
        answer = self._ask(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", scoped=False
        )
        rows = parse_solutions(answer).rows
        return [(str(g), int(str(n))) for g, n in rows if isinstance(g, URIRef) and n is not None]
