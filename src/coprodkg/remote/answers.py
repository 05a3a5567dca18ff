"""A store's answers read as the embedded engine's :class:`~coprodkg.results.Result`, safely.

- SPARQL JSON results, and JSON-LD, are refused past :data:`MAX_NESTING` levels before they are
  parsed (a deeply nested answer would otherwise exhaust Python's stack).
- RDF/XML with a document type declaration is refused: entities are never expanded, so an
  entity bomb costs nothing.
- JSON-LD contexts must be inline: a context named by URL (or file) is refused, never fetched,
  so a server cannot make the client call another host or read a local file.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from itertools import accumulate
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..choices import ResultKind
from ..errors import EndpointError
from ..namespaces import PREFIXES
from ..results import Result
from .text import printable
from .transport import Answer

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["JSON_TYPES", "MAX_NESTING", "RDF_ACCEPT", "parse_rdf", "parse_solutions"]

MAX_NESTING = 64
JSON_TYPES = ("application/sparql-results+json", "application/json")
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RDF_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "text/rdf+n3": "n3",
    "text/n3": "n3",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json-ld",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _STEP)


def json_depth(body: bytes) -> int:
    """How deep a JSON text nests its arrays and objects (strings skipped), without parsing it.

    >>> json_depth(b'{"a": [1, {"b": "[[["}]}')
    3
    """
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def _load_json(answer: Answer, wanted: str) -> object:
    if json_depth(answer.body) > MAX_NESTING:
        raise EndpointError(f"{answer.url} sent {wanted} nested deeper than {MAX_NESTING} levels: refused")
    try:
        return json.loads(answer.body)
    except (ValueError, RecursionError) as error:
        detail = printable(str(error), 100)
        raise EndpointError(
            f"{answer.url} sent malformed {wanted} ({type(error).__name__}: {detail})"
        ) from None


def _term(value: object, url: str) -> Node:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise EndpointError(f"{url} sent malformed SPARQL results: a binding is not a term")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(text, lang=str(value["xml:lang"]))
        datatype = value.get("datatype")
        return Literal(text, datatype=URIRef(datatype) if datatype and datatype != _XSD_STRING else None)
    raise EndpointError(f"{url} sent malformed SPARQL results: unknown term type {printable(repr(kind), 40)}")


def _not_results(answer: Answer, wanted: str) -> EndpointError:
    if answer.content_type in ("text/html", "application/xhtml+xml"):
        return EndpointError(f"{answer.url} answered with a web page, not {wanted}: is it a SPARQL endpoint?")
    kind = printable(answer.content_type, 60) or "no content type"
    return EndpointError(f"{answer.url} answered with {kind}, not {wanted}")


def parse_solutions(answer: Answer) -> Result:
    """SPARQL JSON results (SELECT or ASK) as a :class:`Result`."""
    if answer.content_type not in JSON_TYPES:
        raise _not_results(answer, "SPARQL results")
    data = _load_json(answer, "SPARQL results")
    try:
        if isinstance(data, dict) and isinstance(data.get("boolean"), bool):
            return Result(ResultKind.ASK, boolean=data["boolean"])
        names = tuple(str(n) for n in data["head"]["vars"])  # type: ignore[index]
        bindings = data["results"]["bindings"]  # type: ignore[index]
        rows = tuple(tuple(_term(b[n], answer.url) if n in b else None for n in names) for b in bindings)
    except (KeyError, TypeError, ValueError) as error:
        detail = printable(str(error), 100)
        raise EndpointError(
            f"{answer.url} sent malformed SPARQL results ({type(error).__name__}: {detail})"
        ) from None
    return Result(ResultKind.SELECT, names, rows)


def _refuse_doctype(answer: Answer) -> None:
    """Refuse XML that declares a document type: its entities are never expanded."""

    def refuse(*_: object) -> None:
        raise EndpointError(f"{answer.url} sent RDF/XML with a document type declaration (entities): refused")

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(answer.body, True)
    except xml.parsers.expat.ExpatError as error:
        raise EndpointError(
            f"{answer.url} sent RDF that does not parse (xml): {printable(str(error), 120)}"
        ) from None


def _refuse_remote_contexts(value: object, url: str) -> None:
    """Refuse a JSON-LD document whose contexts are not all inline (a URL would be fetched)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                if key in ("@context", "@import"):
                    named = [c for c in (inner if isinstance(inner, list) else [inner]) if isinstance(c, str)]
                    if named:
                        raise EndpointError(
                            f"{url} sent JSON-LD with a context by reference ({printable(named[0], 80)}): "
                            "only inline contexts are read, never fetched"
                        )
                stack.append(inner)


def parse_rdf(answer: Answer) -> Graph:
    """An RDF answer (CONSTRUCT, DESCRIBE, a GSP GET) as an rdflib graph."""
    from rdflib import Graph

    fmt = _RDF_TYPES.get(answer.content_type)
    if fmt is None:
        raise _not_results(answer, "RDF")
    if fmt == "xml":
        _refuse_doctype(answer)
    if fmt == "json-ld":
        _refuse_remote_contexts(_load_json(answer, "JSON-LD"), answer.url)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    try:
        graph.parse(data=answer.body, format=fmt)
    except Exception as error:  # rdflib's parsers raise assorted types: this is their one boundary
        detail = printable(str(error), 120)
        raise EndpointError(f"{answer.url} sent RDF that does not parse ({fmt}): {detail}") from None
    return graph
