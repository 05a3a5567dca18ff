"""Remote triple stores: query them (SPARQL 1.1 Protocol), push and pull graphs (Graph Store Protocol).

:class:`RemoteGraph` is an :class:`~coprodkg.engine.Engine`, so ``query``, ``info``, ``show`` and
``search`` work on any store that speaks the protocol (Fuseki, GraphDB, Virtuoso, Oxigraph server,
QLever, Neptune) and give the same :class:`~coprodkg.results.Result` as the embedded engine.

- Requests are built by SPARQLWrapper and sent through one opener of ours, which carries the
  User-Agent ``coprodkg/<version>``, the timeout, and Basic or Digest credentials, answered only when
  the server asks for them. Credentials come from ``COPRODKG_USER``/``COPRODKG_PASSWORD`` or
  ``~/.netrc``, never from a URL or an argument, and never appear in a message.
- Only idempotent reads (queries, GSP GET) are retried, with exponential backoff, and only when the
  server could not be reached or said it was busy (HTTP 429, 502, 503, 504); a timeout is not
  retried, because the same query would time out again.
- Every failure is an :class:`~coprodkg.errors.EndpointError` with one line, made in
  :func:`_failure` and nowhere else.
- ``push_graph`` names the target graph explicitly, because stores differ on where a bare POST
  lands. Without the Graph Store Protocol it sends ``INSERT DATA`` batches to a staging graph and
  then ``ADD``/``MOVE``s it onto the target in one update, so a failed push leaves the target as it
  was. A batch never splits the triples that share a blank node (a blank node label is local to
  one request), so blank nodes stay blank nodes instead of being skolemised into IRIs that would
  make the pulled graph differ from the pushed one.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import math
import netrc
import os
import re
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import __version__
from .binding import _TOKEN, bind_values
from .choices import ResultKind
from .errors import EndpointError, QueryError, QuerySyntaxError
from .namespaces import PREFIXES, with_prefixes
from .results import Result

if TYPE_CHECKING:
    from rdflib import Graph

    from .engine import KnowledgeGraph

__all__ = [
    "DEFAULT_TIMEOUT",
    "PASSWORD_ENV",
    "USER_AGENT",
    "USER_ENV",
    "PushReport",
    "RemoteGraph",
    "pull_graph",
    "push_graph",
]

DEFAULT_TIMEOUT = 30.0
USER_ENV = "COPRODKG_USER"
PASSWORD_ENV = "COPRODKG_PASSWORD"
USER_AGENT = f"coprodkg/{__version__} (+https://w3id.org/coprodkg)"

_ATTEMPTS = 3
_BACKOFF = 0.2
_BUSY = {429, 502, 503, 504}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_JSON_TYPES = ("application/sparql-results+json", "application/json")
_RDF_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "text/rdf+n3": "n3",
    "text/n3": "n3",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_TAG = re.compile(r"<[^>]*>")
_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


# ---- HTTP: one opener, one place where failures become messages ------------------------------


def _check_url(url: str, option: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as error:
        raise EndpointError(f"{option} is not a valid URL ({error}): {url!r}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise EndpointError(f"{option} must be an http(s) URL, got {url!r}")
    if parts.username or parts.password:
        raise EndpointError(
            f"{option} must not carry credentials: set {USER_ENV} and {PASSWORD_ENV}, or use ~/.netrc"
        )
    return url


def _credentials(url: str) -> tuple[str, str] | None:
    """Credentials for ``url``: the environment first, then ``~/.netrc`` (or ``$NETRC``)."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password is not None):
            raise EndpointError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        return user, password
    host = urlsplit(url).hostname or ""
    try:
        found = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except FileNotFoundError:
        return None
    except netrc.NetrcParseError as error:
        raise EndpointError(f"cannot read {error.filename} at line {error.lineno}") from None
    except OSError as error:
        raise EndpointError(f"cannot read the netrc file: {error.strerror}") from None
    if found is None or found[2] is None:
        return None
    return found[0] or "", found[2]


class _DigestOnce(urllib.request.HTTPDigestAuthHandler):
    """Digest auth that gives up as soon as the server refuses the credentials.

    urllib's handler tries again up to five times with the same credentials, re-sending the body
    each time; a server may then drop the connection mid-upload and the 401 is lost.
    """

    def http_error_401(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        if req.get_header("Authorization"):
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        return super().http_error_401(req, fp, code, msg, headers)


def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener answering Basic or Digest challenges for ``url`` (only when the server asks)."""
    handlers: list[urllib.request.BaseHandler] = []
    found = _credentials(url)
    if found is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, *found)  # type: ignore[arg-type]
        handlers += [
            _DigestOnce(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _preauthorize(request: urllib.request.Request, timeout: float) -> None:
    """Answer the server's challenge before sending a body, as curl does.

    Sent without credentials, a large upload meets a 401 that the server may send while the body
    is still on its way, closing the connection: the client then sees a broken pipe, never the
    challenge. A bodiless HEAD fetches the challenge first; the upload then carries the answer.
    """
    found = _credentials(request.full_url)
    if found is None or request.data is None:
        return
    probe = urllib.request.Request(request.full_url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.build_opener().open(probe, timeout=timeout):
            return
    except urllib.error.HTTPError as error:
        challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
        error.close()
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return  # the upload itself will report it
    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{found[0]}:{found[1]}".encode()).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, *found)  # type: ignore[arg-type]
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        answer = _DigestOnce(manager).get_authorization(request, fields)
        if answer:
            request.add_unredirected_header("Authorization", f"Digest {answer}")


def _reason(body: bytes) -> str:
    """The first meaningful line of an error body, tags stripped, trimmed."""
    text = _TAG.sub(" ", body[:20000].decode("utf-8", errors="replace"))
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and line.lower() not in ("error", "bad request", "error 400"):
            return line[:200]
    return ""


def _where(request: urllib.request.Request) -> str:
    parts = urlsplit(request.full_url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _failure(request: urllib.request.Request, error: Exception, timeout: float) -> EndpointError:
    """The one line a user sees for a failed request."""
    where = _where(request)
    if isinstance(error, urllib.error.HTTPError):
        reason = _reason(error.read() if error.fp is not None else b"") or str(error.reason)
        code = error.code
        if code == 401:
            hint = f"it needs credentials: set {USER_ENV} and {PASSWORD_ENV}, or use ~/.netrc"
            if _credentials(request.full_url) is not None:
                hint = "the credentials were refused"
            return EndpointError(f"{where} answered 401 Unauthorized: {hint}")
        if code == 403:
            return EndpointError(f"{where} answered 403 Forbidden: {reason}")
        if code == 404:
            return EndpointError(
                f"{where} answered 404 Not Found: is it the right URL for a SPARQL endpoint?"
            )
        if code in (405, 406, 415, 501):
            return EndpointError(
                f"{where} does not accept this request (HTTP {code}): is it a SPARQL endpoint?"
            )
        if code in (400, 422):
            return EndpointError(f"{where} rejected the request: {reason}")
        return EndpointError(f"{where} failed (HTTP {code}): {reason}")
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        return EndpointError(f"{where} did not answer within {timeout:g} s (a longer --timeout may help)")
    if isinstance(cause, ConnectionRefusedError):
        return EndpointError(
            f"cannot connect to {where}: connection refused (is the server running on that port?)"
        )
    if isinstance(cause, (ConnectionError, http.client.HTTPException)):
        name = type(cause).__name__
        return EndpointError(f"{where} broke off the connection ({name}): is it an HTTP server?")
    if isinstance(cause, socket.gaierror):
        return EndpointError(f"cannot find the host of {where}: {cause.strerror}")
    text = getattr(cause, "strerror", None) or str(cause)
    return EndpointError(f"cannot reach {where}: {' '.join(str(text).split())[:160]}")


def _retryable(error: Exception) -> bool:
    if isinstance(error, urllib.error.HTTPError):
        return error.code in _BUSY
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    return isinstance(cause, (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected))


@dataclass(frozen=True)
class _Answer:
    body: bytes
    content_type: str
    status: int


def _send(request: urllib.request.Request, timeout: float, *, idempotent: bool) -> _Answer:
    """Send a request and read the whole answer; retry idempotent ones that may succeed later."""
    request.add_header("User-Agent", USER_AGENT)
    attempts = _ATTEMPTS if idempotent else 1
    _preauthorize(request, timeout)
    for attempt in range(attempts):
        try:
            with _opener(request.full_url).open(request, timeout=timeout) as response:
                body = response.read()
                kind = response.headers.get_content_type() if response.headers else ""
                return _Answer(body, kind, response.status)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            if attempt + 1 < attempts and _retryable(error):
                time.sleep(_BACKOFF * 2**attempt)
                continue
            raise _failure(request, error, timeout) from None
    raise AssertionError("unreachable")


# ---- results: SPARQL JSON and RDF answers as the same Result the embedded engine gives ------------


def _term(value: object, where: str) -> Node:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise EndpointError(f"{where} sent malformed SPARQL results: a binding is not a term")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        return Literal(text, datatype=URIRef(datatype) if datatype and datatype != _XSD_STRING else None)
    raise EndpointError(f"{where} sent malformed SPARQL results: unknown term type {kind!r}")


def _not_results(answer: _Answer, where: str, wanted: str) -> EndpointError:
    if answer.content_type in ("text/html", "application/xhtml+xml"):
        return EndpointError(f"{where} answered with a web page, not {wanted}: is it a SPARQL endpoint?")
    return EndpointError(f"{where} answered with {answer.content_type or 'no content type'}, not {wanted}")


def _solutions(answer: _Answer, where: str) -> Result:
    if answer.content_type not in _JSON_TYPES:
        raise _not_results(answer, where, "SPARQL results")
    try:
        data = json.loads(answer.body)
        if isinstance(data, dict) and isinstance(data.get("boolean"), bool):
            return Result(ResultKind.ASK, boolean=data["boolean"])
        names = tuple(data["head"]["vars"])
        bindings = data["results"]["bindings"]
        rows = tuple(tuple(_term(b[n], where) if n in b else None for n in names) for b in bindings)
    except (ValueError, KeyError, TypeError) as error:
        detail = " ".join(str(error).split())[:100]
        raise EndpointError(
            f"{where} sent malformed SPARQL results ({type(error).__name__}: {detail})"
        ) from None
    return Result(ResultKind.SELECT, names, rows)


def _parse_rdf(answer: _Answer, where: str) -> Graph:
    from rdflib import Graph

    fmt = _RDF_TYPES.get(answer.content_type)
    if fmt is None:
        raise _not_results(answer, where, "RDF")
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    try:
        graph.parse(data=answer.body, format=fmt)
    except Exception as error:  # rdflib's parsers raise assorted types: this is their one boundary
        detail = " ".join(str(error).split())[:120]
        raise EndpointError(f"{where} sent RDF that does not parse ({fmt}): {detail}") from None
    return graph


_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE: the first keyword outside the prologue.

    >>> query_form("PREFIX add: <urn:x#> SELECT * WHERE { ?s add:p ?o }  # INSERT")
    'SELECT'
    """
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup != "word" or sparql[match.end() : match.end() + 1] == ":":
            continue
        word = match.group().upper()
        if word in _FORMS:
            return word
        if word in _UPDATES:
            return "UPDATE"
    raise QuerySyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT, DESCRIBE or update keyword")


# ---- the remote engine ------------------------------------------------------------------------


class RemoteGraph:
    """A SPARQL endpoint as an engine; with ``graph``, every query sees only that named graph.

    Scoping by ``graph`` (sent as ``default-graph-uri`` and ``named-graph-uri``) gives the same
    answers on stores whose default graph is empty (Oxigraph server) and on stores whose default
    graph is the union of everything, system graphs included (Virtuoso).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        graph: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if not math.isfinite(timeout) or timeout <= 0:
            raise EndpointError(f"--timeout must be a number of seconds above 0, got {timeout:g}")
        self.endpoint = _check_url(endpoint, "--endpoint")
        self.update_endpoint = _check_url(update_endpoint, "--update-endpoint") if update_endpoint else None
        self.gsp_endpoint = _check_url(gsp_endpoint, "--gsp-endpoint") if gsp_endpoint else None
        if graph is not None:
            _check_iri(graph)
        self.graph = graph
        self.timeout = timeout

    def __repr__(self) -> str:
        scope = f" graph <{self.graph}>" if self.graph else ""
        return f"<RemoteGraph {self.endpoint}{scope}>"

    def _request(self, text: str, *, scoped: bool = True) -> tuple[urllib.request.Request, str]:
        """The protocol request SPARQLWrapper builds for ``text``, and the query form it detected."""
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(
            self.endpoint, updateEndpoint=self.update_endpoint or self.endpoint, agent=USER_AGENT
        )
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(
            True
        )  # content negotiation only: a format=n3 parameter makes Virtuoso answer 406
        wrapper.setQuery(text)
        form = query_form(text)
        wrapper.queryType = form if form != "UPDATE" else "INSERT"  # its own guess misreads cpk:addresses
        wrapper.setReturnFormat(N3 if form in _GRAPH_FORMS else JSON)
        if self.graph and scoped and form != "UPDATE":
            wrapper.addParameter("default-graph-uri", self.graph)
            wrapper.addParameter("named-graph-uri", self.graph)
        request: urllib.request.Request = wrapper._createRequest()  # SPARQLWrapper builds, _send sends
        if form in _GRAPH_FORMS:
            request.add_header("Accept", _RDF_ACCEPT)
        return request, form

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, *, allow_update: bool = False
    ) -> Result:
        """Run SPARQL on the endpoint, binding ``bindings`` as a ``VALUES`` block.

        A SPARQL Update is refused unless ``allow_update``; it then goes to the update endpoint,
        as written (``graph`` scopes queries, not updates).
        """
        text = with_prefixes(sparql)
        request, form = self._request(text)
        if form == "UPDATE":
            if not allow_update:
                raise QueryError(
                    "this is a SPARQL Update and queries are read-only: pass --update to send it to the "
                    "update endpoint"
                )
            _send(request, self.timeout, idempotent=False)
            return Result(ResultKind.ASK, boolean=True)
        if bindings:
            request, form = self._request(bind_values(text, bindings))
        answer = _send(request, self.timeout, idempotent=True)
        if form in _GRAPH_FORMS:
            graph = _parse_rdf(answer, _where(request))
            return Result(ResultKind.GRAPH, triples=tuple(graph))  # type: ignore[arg-type]
        return _solutions(answer, _where(request))

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update to the update endpoint (never retried)."""
        request, form = self._request(sparql)
        if form != "UPDATE":
            raise QueryError("not a SPARQL Update")
        _send(request, self.timeout, idempotent=False)

    def count(self, graph: str) -> int:
        """How many triples the named graph holds on the server."""
        _check_iri(graph)
        request, _ = self._request(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", scoped=False
        )
        rows = _solutions(_send(request, self.timeout, idempotent=True), _where(request)).rows
        try:
            return int(str(rows[0][0]))
        except (IndexError, ValueError):
            raise EndpointError(f"{_where(request)} sent malformed SPARQL results: no count") from None

    def graphs(self) -> list[tuple[str, int]]:
        """The named graphs and their triple counts (only ``graph`` when the engine is scoped)."""
        if self.graph:
            return [(self.graph, self.count(self.graph))]
        request, _ = self._request(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", scoped=False
        )
        rows = _solutions(_send(request, self.timeout, idempotent=True), _where(request)).rows
        return [(str(g), int(str(n))) for g, n in rows if isinstance(g, URIRef) and n is not None]


def _check_iri(iri: str) -> None:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", iri):
        raise EndpointError(
            f"--graph must be an absolute IRI such as https://example.org/graph/coprodkg, got {iri!r}"
        )


def _gsp_url(gsp_endpoint: str, graph: str) -> str:
    return gsp_endpoint + ("&" if "?" in gsp_endpoint else "?") + urlencode({"graph": graph})


# ---- push and pull ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushReport:
    """What a push sent, how, and what the server holds afterwards."""

    graph: str
    sent: int
    before: int
    after: int
    method: str
    replaced: bool

    @property
    def ok(self) -> bool:
        """Whether the server's count fits: exactly ``sent`` after a replace; else at least
        ``max(before, sent)`` and at most ``before + sent`` (blank nodes always add new triples)."""
        if self.replaced:
            return self.after == self.sent
        return max(self.before, self.sent) <= self.after <= self.before + self.sent


def _ntriples(source: KnowledgeGraph | Graph) -> list[ox.Triple]:
    """The distinct triples to send (a triple in several files is sent once)."""
    from rdflib import Graph

    if isinstance(source, Graph):
        data = source.serialize(format="nt", encoding="utf-8")
    else:
        from .engine import serialize_graph

        data = serialize_graph(source, "nt")
    return list(dict.fromkeys(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))


def _batches(triples: Iterable[ox.Triple], size: int) -> Iterator[tuple[bool, list[ox.Triple]]]:
    """Batches of at most ``size`` triples, flagged when they hold blank nodes.

    A batch never splits the triples that share a blank node (a connected group may exceed
    ``size``). Blank-node batches are a tenth of ``size``: they go as INSERT templates, which
    Virtuoso compiles into SQL that must stay under 10,000 lines.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    triples = list(triples)
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) and isinstance(t.object, ox.BlankNode):
            parent[root(t.subject.value)] = root(t.object.value)
    groups: dict[str, list[ox.Triple]] = {}
    for index, t in enumerate(triples):
        blank = t.subject if isinstance(t.subject, ox.BlankNode) else t.object
        key = root(blank.value) if isinstance(blank, ox.BlankNode) else f"#{index}"
        groups.setdefault(key, []).append(t)
    pending: dict[bool, list[ox.Triple]] = {False: [], True: []}
    for key, group in groups.items():
        has_blank = not key.startswith("#")
        batch, limit = pending[has_blank], max(1, size // 10) if has_blank else size
        if batch and len(batch) + len(group) > limit:
            yield has_blank, batch
            batch = pending[has_blank] = []
        batch.extend(group)
    yield from ((kind, batch) for kind, batch in pending.items() if batch)


def _push_update(remote: RemoteGraph, triples: list[ox.Triple], graph: str, replace: bool, size: int) -> int:
    """INSERT DATA batches into a staging graph, then one ADD or MOVE onto the target."""
    staging = f"urn:coprodkg:staging:{uuid.uuid4()}"
    drop = f"DROP SILENT GRAPH <{staging}>"
    batches = 0
    try:
        for blank, batch in _batches(triples, size):
            lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in batch)
            if blank:
                # Virtuoso refuses blank nodes in INSERT DATA; a template with an empty WHERE
                # makes one fresh blank node per label, exactly like INSERT DATA on other stores.
                remote.update(f"INSERT {{ GRAPH <{staging}> {{\n{lines}\n}} }} WHERE {{}}")
            else:
                remote.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{lines}\n}} }}")
            batches += 1
        if replace:
            remote.update(f"DROP SILENT GRAPH <{graph}> ; ADD SILENT <{staging}> TO <{graph}> ; {drop}")
        else:
            remote.update(f"ADD SILENT <{staging}> TO <{graph}> ; {drop}")
    except EndpointError:
        with contextlib.suppress(EndpointError):
            remote.update(drop)
        raise
    return batches


def push_graph(
    source: KnowledgeGraph | Graph,
    endpoint: str,
    *,
    graph: str,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    replace: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    batch_size: int = 1000,
) -> PushReport:
    """Upload the triples of ``source`` into the named ``graph``; add to it unless ``replace``.

    With ``gsp_endpoint`` the Graph Store Protocol is used (PUT replaces, POST adds); without it,
    or when the store refuses GSP (HTTP 405/501), SPARQL Update ``INSERT DATA`` in batches. The
    server's count of ``graph`` is read before and after (on ``endpoint``).
    """
    remote = RemoteGraph(
        endpoint, update_endpoint=update_endpoint, gsp_endpoint=gsp_endpoint, timeout=timeout
    )
    _check_iri(graph)
    triples = _ntriples(source)
    before = remote.count(graph)
    method = ""
    if remote.gsp_endpoint:
        body = "".join(f"{t} .\n" for t in triples).encode("utf-8")
        verb = "PUT" if replace else "POST"
        request = urllib.request.Request(_gsp_url(remote.gsp_endpoint, graph), data=body, method=verb)
        request.add_header("Content-Type", "text/turtle; charset=utf-8")
        try:
            _send(request, timeout, idempotent=False)
            method = f"Graph Store Protocol {verb}"
        except EndpointError as error:
            if "does not accept this request (HTTP 405" not in str(error) and "(HTTP 501" not in str(error):
                raise
    if not method:
        batches = _push_update(remote, triples, graph, replace, batch_size)
        method = f"SPARQL Update ({batches} INSERT DATA batch{'es' if batches != 1 else ''})"
    return PushReport(graph, len(triples), before, remote.count(graph), method, replace)


def pull_graph(
    endpoint: str | None = None,
    *,
    graph: str,
    gsp_endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Graph:
    """Fetch the named ``graph``: by Graph Store Protocol GET when ``gsp_endpoint`` is given, else
    by ``CONSTRUCT`` on ``endpoint`` (its size checked against the server's count)."""
    _check_iri(graph)
    if gsp_endpoint:
        _check_url(gsp_endpoint, "--gsp-endpoint")
        request = urllib.request.Request(_gsp_url(gsp_endpoint, graph))
        request.add_header("Accept", _RDF_ACCEPT)
        try:
            answer = _send(request, timeout, idempotent=True)
        except EndpointError as error:
            if "404" in str(error):
                raise EndpointError(f"the store at {_where(request)} has no graph <{graph}>") from None
            raise
        return _parse_rdf(answer, _where(request))
    if endpoint is None:
        raise EndpointError("give --endpoint (for CONSTRUCT) or --gsp-endpoint (for GET) to pull a graph")
    remote = RemoteGraph(endpoint, timeout=timeout)
    result = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    pulled = result.graph()
    if not len(pulled):
        raise EndpointError(f"the store at {endpoint} has no triples in graph <{graph}>")
    expected = remote.count(graph)
    if len(pulled) != expected:
        raise EndpointError(
            f"{endpoint} sent {len(pulled)} of the {expected} triples in <{graph}> (a result size limit?): "
            "use --gsp-endpoint"
        )
    return pulled
