"""Push and pull whole graphs: the Graph Store Protocol, or SPARQL Update and CONSTRUCT.

``push_graph`` names the target graph explicitly, because stores differ on where a bare POST
lands. Without the Graph Store Protocol (or when the store answers 405/501 to it) it sends
``INSERT DATA`` batches to a staging graph and then ``ADD``/``MOVE``s it onto the target in one
update, so a failed push leaves the target as it was; the staging graph is then dropped, or, when
even that fails, named in the error with the update that removes it. A batch never splits the
triples that share a blank node (a blank node label is local to one request), so blank nodes stay
blank nodes instead of being skolemised into IRIs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pyoxigraph as ox

from ..errors import EndpointError
from .answers import RDF_ACCEPT, parse_rdf
from .engine import RemoteGraph, check_iri, check_url
from .text import where
from .transport import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Request, Transport, TransportError

if TYPE_CHECKING:
    from rdflib import Graph

    from ..engine import KnowledgeGraph

__all__ = ["PushReport", "pull_graph", "push_graph"]


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


def _gsp_url(gsp_endpoint: str, graph: str) -> str:
    return gsp_endpoint + ("&" if "?" in gsp_endpoint else "?") + urlencode({"graph": graph})


def _ntriples(source: KnowledgeGraph | Graph) -> list[ox.Triple]:
    """The distinct triples to send (a triple in several files is sent once)."""
    from rdflib import Graph

    if isinstance(source, Graph):
        data = source.serialize(format="nt", encoding="utf-8")
    else:
        from ..engine import serialize_graph

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
    except EndpointError as error:
        if batches == 0 and isinstance(error, TransportError) and error.status is not None:
            raise  # the store refused the first batch: nothing was staged
        try:
            remote.update(drop)
        except EndpointError:
            where_to = remote.update_endpoint or remote.endpoint
            raise EndpointError(
                f"{error} (the push stopped; its staging graph <{staging}> may remain on the server: "
                f"remove it with coprodkg query --update --endpoint {where(where_to)} -e '{drop}')"
            ) from None
        raise EndpointError(f"{error} (the push stopped; its staging graph was removed)") from None
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
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 1000,
    transport: Transport | None = None,
) -> PushReport:
    """Upload the triples of ``source`` into the named ``graph``; add to it unless ``replace``.

    With ``gsp_endpoint`` the Graph Store Protocol is used (PUT replaces, POST adds); without it,
    or when the store refuses GSP (HTTP 405/501), SPARQL Update ``INSERT DATA`` in batches. The
    server's count of ``graph`` is read before and after (on ``endpoint``).
    """
    remote = RemoteGraph(
        endpoint,
        update_endpoint=update_endpoint,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout,
        max_bytes=max_bytes,
        transport=transport,
    )
    check_iri(graph)
    triples = _ntriples(source)
    before = remote.count(graph)
    method = ""
    if remote.gsp_endpoint:
        body = "".join(f"{t} .\n" for t in triples).encode("utf-8")
        verb = "PUT" if replace else "POST"
        headers = {"Content-Type": "text/turtle; charset=utf-8"}
        try:
            remote.transport.send(
                Request(verb, _gsp_url(remote.gsp_endpoint, graph), headers, body, idempotent=False)
            )
            method = f"Graph Store Protocol {verb}"
        except TransportError as error:
            if error.status not in (405, 501):
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
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport: Transport | None = None,
) -> Graph:
    """Fetch the named ``graph``: by Graph Store Protocol GET when ``gsp_endpoint`` is given, else
    by ``CONSTRUCT`` on ``endpoint`` (its size checked against the server's count)."""
    check_iri(graph)
    transport = transport or Transport(timeout=timeout, max_bytes=max_bytes)
    if gsp_endpoint:
        url = _gsp_url(check_url(gsp_endpoint, "gsp_endpoint"), graph)
        try:
            answer = transport.send(Request("GET", url, {"Accept": RDF_ACCEPT}))
        except TransportError as error:
            if error.status == 404:
                raise EndpointError(f"the store at {error.url} has no graph <{graph}>") from None
            raise
        return parse_rdf(answer)
    if endpoint is None:
        raise EndpointError("pull needs an endpoint (for CONSTRUCT) or a gsp_endpoint (for GET)")
    remote = RemoteGraph(endpoint, transport=transport)
    result = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    pulled = result.graph()
    shown = where(endpoint)
    if not len(pulled):
        raise EndpointError(f"the store at {shown} has no triples in graph <{graph}>")
    expected = remote.count(graph)
    if len(pulled) != expected:
        raise EndpointError(
            f"{shown} sent {len(pulled)} of the {expected} triples in <{graph}> (a result size limit?): "
            "pull it by the Graph Store Protocol (gsp_endpoint)"
        )
    return pulled
