"""Binding query parameters as RDF terms: a ``VALUES`` block at the start of the query's WHERE.

The term is parsed and re-serialised (IRIs checked, literals escaped), so a parameter can never
change the query's structure; and the same mechanism works on every engine, embedded or remote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .errors import ParameterError, QuerySyntaxError
from .sparql import FORMS, TOKEN

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["bind_values", "serialize_term"]

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def serialize_term(term: Node) -> str:
    r"""An IRI or literal as SPARQL text, escaped; anything else is refused.

    >>> from rdflib import Literal
    >>> serialize_term(Literal('say "hi"'))
    '"say \\"hi\\""'
    """
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise ParameterError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ParameterError(f"cannot bind {term!r}: only IRIs and literals can be parameters")


def _where_brace(sparql: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group."""
    form = None
    after_where = False
    for match in TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "word":
            word = match.group().upper()
            if form is None and word in FORMS:
                form = word
            elif form is not None and word == "WHERE":
                if form == "CONSTRUCT":
                    raise ParameterError(
                        "parameters cannot be bound in the short form CONSTRUCT WHERE { ... }: "
                        "write CONSTRUCT { ... } WHERE { ... }"
                    )
                after_where = True
        elif kind == "brace" and match.group() == "{" and form is not None:
            if after_where or form != "CONSTRUCT":
                return match.end()
            form = "CONSTRUCT-TEMPLATE"
        elif kind == "brace" and form == "CONSTRUCT-TEMPLATE":
            continue
    raise QuerySyntaxError("cannot bind parameters: the query has no WHERE { ... } group")


def _visible_variables(sparql: str, start: int) -> set[str]:
    """The variables the WHERE group opened just before ``start`` can see: those it uses
    outside sub-SELECTs, and those its sub-SELECTs return."""
    seen: set[str] = set()
    depth, hidden_from = 1, None  # hidden_from: the depth at which a sub-SELECT's body began
    projection, parens, after_as = False, 0, False
    for match in TOKEN.finditer(sparql, start):
        kind, text = match.lastgroup, match.group()
        if kind == "brace":
            depth += 1 if text == "{" else -1
            hidden_from = _hidden_from(text, depth, projection, hidden_from)
            projection = projection and text != "{"
            if depth == 0:
                break
        elif hidden_from is not None:
            continue
        elif kind == "word" and text.upper() == "SELECT":
            projection, parens, after_as = True, 0, False
        elif kind == "word" and projection and text.upper() == "AS":
            after_as = True
        elif kind == "other" and projection and text in "()":
            parens += 1 if text == "(" else -1
        elif kind == "var" and (not projection or parens == 0 or after_as):
            seen.add(text[1:])
            after_as = False
    return seen


def _hidden_from(brace: str, depth: int, projection: bool, hidden_from: int | None) -> int | None:
    """After ``brace``, the depth at which the sub-SELECT body we are in began (None: in none)."""
    if brace == "{" and projection:
        return depth
    if brace == "}" and hidden_from is not None and depth < hidden_from:
        return None
    return hidden_from


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with each ``?name`` bound to its term by a ``VALUES`` block.

    >>> from rdflib import URIRef
    >>> print(bind_values("SELECT ?l WHERE { ?t rdfs:label ?l }", {"t": URIRef("https://x.org/t")}))
    SELECT ?l WHERE { VALUES (?t) { (<https://x.org/t>) } ?t rdfs:label ?l }
    """
    if not bindings:
        return sparql
    names = []
    for name in bindings:
        clean = name.lstrip("?$")
        if not re.fullmatch(r"[A-Za-z_]\w*", clean):
            raise ParameterError(f"not a variable name: {name!r}")
        names.append(clean)
    values = " ".join(serialize_term(t) for t in bindings.values())
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}"
    at = _where_brace(sparql)
    visible = _visible_variables(sparql, at)
    for name in names:
        if name not in visible:
            raise ParameterError(
                f"cannot bind ?{name}: the query's WHERE clause does not use it (or only inside a "
                "sub-SELECT that does not return it)"
            )
    return sparql[:at] + block + sparql[at:]
