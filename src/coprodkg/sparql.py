"""SPARQL query text: its tokens, its form, its prefixes, how deep it nests and whether it calls SERVICE.

The one place that reads query text without parsing it: the engines ask it whether a text is an
update, binding finds the WHERE group with its tokens, the remote engine picks the result format
by the form and adds the ``PREFIX`` lines a query lacks, and ``serve`` refuses queries that nest
too deep or call other servers before they reach the Oxigraph server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Literal

from .errors import QuerySyntaxError

__all__ = [
    "FORMS",
    "GRAPH_FORMS",
    "TOKEN",
    "Form",
    "nesting_depth",
    "query_form",
    "uses_service",
    "with_prefixes",
    "words",
]

TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<brace>[{}])
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<var>[?$]\w+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
"""One token of SPARQL text: comments, strings and IRIs are whole tokens, so a keyword or brace
inside them is never mistaken for code."""

Form = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "UPDATE"]
FORMS: frozenset[str] = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
GRAPH_FORMS: frozenset[str] = frozenset({"CONSTRUCT", "DESCRIBE"})
_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def words(sparql: str) -> Iterator[str]:
    """The keywords and names of the text, upper-cased, leaving out prefixed names' prefixes.

    >>> list(words("SELECT * WHERE { ?s add:p 'SERVICE' }"))
    ['SELECT', 'WHERE']
    """
    for match in TOKEN.finditer(sparql):
        prefix = sparql[match.end() : match.end() + 1] == ":"
        local = sparql[match.start() - 1 : match.start()] == ":"  # the local part of a CURIE
        if match.lastgroup == "word" and not prefix and not local:
            yield match.group().upper()


def query_form(sparql: str) -> Form:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE: the first keyword outside the prologue.

    >>> query_form("PREFIX add: <urn:x#> SELECT * WHERE { ?s add:p ?o }  # INSERT")
    'SELECT'
    >>> query_form("DROP GRAPH <urn:g>")
    'UPDATE'
    """
    for word in words(sparql):
        if word in FORMS:
            return word  # type: ignore[return-value]
        if word in _UPDATES:
            return "UPDATE"
    raise QuerySyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT, DESCRIBE or update keyword")


def nesting_depth(sparql: str) -> int:
    """How deep groups, brackets and parentheses nest, outside strings, IRIs and comments.

    >>> nesting_depth("SELECT * WHERE { { ?s ?p ?o FILTER(?o > (1 + 2)) } }")
    4
    """
    depth = deepest = 0
    for match in TOKEN.finditer(sparql):
        text = match.group()
        if match.lastgroup in ("brace", "other"):
            if text in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif text in _CLOSE:
                depth -= 1
    return deepest


def uses_service(sparql: str) -> bool:
    """Whether the text calls another endpoint with ``SERVICE``.

    >>> uses_service("SELECT * WHERE { SERVICE <http://x.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service("SELECT * WHERE { ?s ?p 'SERVICE' }  # SERVICE")
    False
    """
    return "SERVICE" in words(sparql)


def with_prefixes(sparql: str, prefixes: Mapping[str, str] | None = None) -> str:
    """Prepend ``PREFIX`` lines for the known prefixes (``prefixes``, by default the package's
    table) a query uses but does not declare; a prefix inside an IRI, a string or a comment is
    not a use.

    >>> with_prefixes("SELECT * WHERE { ?t a cpk:Theme }").splitlines()[0]
    'PREFIX cpk: <https://w3id.org/coprodkg/ns#>'
    """
    if prefixes is None:
        from .namespaces import PREFIXES  # here, so ``serve`` does not import rdflib

        prefixes = PREFIXES
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    code = "".join(
        " " if m.lastgroup in ("comment", "string", "iri") else m.group() for m in TOKEN.finditer(sparql)
    )
    lines = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in prefixes.items()
        if prefix not in declared and re.search(rf"(?<![\w.-]){re.escape(prefix)}:", code)
    ]
    return "\n".join([*lines, sparql]) if lines else sparql
