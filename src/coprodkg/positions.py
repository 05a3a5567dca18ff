r"""Where things are stated in a Turtle file: a light scan that gives validate its line numbers.

Parsers report positions only for syntax errors, so this module reads a Turtle (or N-Triples)
file once more with a small tokenizer and records, per file: the line where each subject is
first stated, the line of each (subject, predicate) pair, where each IRI is first used, and the
``@prefix`` declarations. It assumes the file parses (validate runs the real parser first) and
never raises on odd input: what it cannot follow it skips.

>>> text = '@prefix ex: <https://example.org/> .\nex:a a ex:T ;\n  ex:p [ ex:q "x" ] .\n'
>>> spots = scan_turtle(text, "file:///t.ttl")
>>> spots.subjects["https://example.org/a"], spots.properties[("https://example.org/a", "https://example.org/p")]
(2, 3)
>>> spots.prefixes
[Prefix(name='ex', iri='https://example.org/', line=1)]
>>> list(spots.first_uses) == list(scan_turtle(text + "# ex:c a ex:D", "file:///t.ttl").first_uses)
True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

__all__ = ["FilePositions", "Prefix", "Use", "scan_turtle"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: One token, after the spaces and comments before it (skipped in the same match, never given back).
_TOKEN = re.compile(
    r"""
    (?>(?:\s+|\#[^\n]*)*)
    (?:
    (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<directive>@prefix|@base|(?i:prefix|base)(?=\s))
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<datatype>\^\^)
  | (?P<bnode>_:[\w.-]*\w|_:\w)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:(?:[\w:%-]|\\.)(?:[\w.:%-]|\\.)*(?<![.]))?)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z][\w-]*)
  | (?P<punct>[\[\]();,.])
  | (?P<other>.)
  | (?P<end>\Z)
    )
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Prefix:
    """One ``@prefix`` (or ``PREFIX``) declaration."""

    name: str
    iri: str
    line: int


@dataclass(frozen=True)
class Use:
    """Where an IRI is written in the file, and whether as subject, predicate, object or type."""

    iri: str
    line: int
    role: str
    written: str


@dataclass
class FilePositions:
    """The positions found in one file (lines count from 1)."""

    subjects: dict[str, int] = field(default_factory=dict)
    properties: dict[tuple[str, str], int] = field(default_factory=dict)
    #: each IRI's first use in the file
    first_uses: dict[str, Use] = field(default_factory=dict)
    prefixes: list[Prefix] = field(default_factory=list)

    def line_of(self, subject: str, predicate: str = "") -> int | None:
        """The line stating ``subject`` ``predicate`` …, else the subject's first line, else None."""
        if predicate and (subject, predicate) in self.properties:
            return self.properties[(subject, predicate)]
        return self.subjects.get(subject)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, line) of every token (a list, built in one tight loop: this is the hot path)."""
    out: list[tuple[str, str, int]] = []
    append, count = out.append, text.count
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "end"
        if kind == "end":
            break
        start = match.start(kind)
        line += count("\n", counted, start)
        counted = start
        append((kind, match.group(kind), line))
    return out


class _Frame:
    """One level of nesting: a statement, a ``[ … ]`` blank node or a ``( … )`` list."""

    def __init__(self, subject: str, kind: str = "statement") -> None:
        self.subject = subject
        self.predicate = ""
        self.kind = kind
        self.expect = "subject" if kind == "statement" else ("object" if kind == "list" else "predicate")


def scan_turtle(text: str, base: str) -> FilePositions:
    """Scan Turtle ``text`` (relative IRIs resolved against ``base``) for positions."""
    spots = FilePositions()
    prefixes: dict[str, str] = {}
    tokens = _tokens(text)
    terms: dict[str, str | None] = {}  # IRIs and prefixed names met so far -> their IRI
    stack = [_Frame("")]
    blank = 0
    i = 0
    while i < len(tokens):
        kind, value, line = tokens[i]
        frame = stack[-1]
        if kind == "directive":
            i = _directive(tokens, i, prefixes, spots, base)
            base = prefixes.pop("\0base", base)
            terms.clear()  # a prefix or the base may have changed
            continue
        if kind == "iri" or kind == "pname":
            term = terms.get(value, "")
            if term == "":
                term = terms[value] = _term(kind, value, prefixes, base)
        else:
            term = _term(kind, value, prefixes, base)
        if kind == "punct":
            blank = _punct(value, stack, blank)
        elif term is not None:
            _place(frame, term, line, value, spots)
        elif kind == "datatype" and i + 1 < len(tokens):
            i += 1
            datatype = _term(tokens[i][0], tokens[i][1], prefixes, base)
            if datatype:
                spots.first_uses.setdefault(datatype, Use(datatype, tokens[i][2], "datatype", tokens[i][1]))
        elif (kind in ("string", "long", "number") or value in ("true", "false")) and (
            frame.expect == "object" and frame.kind != "list"
        ):
            frame.expect = "after"
        i += 1
    return spots


def _punct(value: str, stack: list[_Frame], blank: int) -> int:
    """Follow one punctuation mark: blank nodes and lists open and close frames; the count of
    blank nodes seen, after it."""
    frame = stack[-1]
    if value == "[":
        blank += 1
        node = frame.subject + "\0" + frame.predicate if frame.expect == "object" else f"\0[{blank}"
        if frame.expect == "subject":
            frame.subject = node
            frame.expect = "predicate"
        stack.append(_Frame(node, "blank"))
    elif value == "]" and len(stack) > 1:
        stack.pop()
        parent = stack[-1]
        parent.expect = "after" if parent.kind != "list" else "object"
        if parent.kind == "statement" and parent.predicate == "":
            parent.expect = "predicate"
    elif value == "(":
        stack.append(_Frame(frame.subject + "\0" + frame.predicate, "list"))
    elif value == ")" and len(stack) > 1:
        stack.pop()
        stack[-1].expect = "after"
    elif value == ";":
        frame.expect = "predicate"
    elif value == ",":
        frame.expect = "object"
    elif value == "." and frame.kind == "statement":
        stack[-1] = _Frame("")
    return blank


def _place(frame: _Frame, term: str, line: int, value: str, spots: FilePositions) -> None:
    """Record a term where the frame expects it: a subject, a predicate or an object."""
    role = frame.expect
    if role == "subject":
        frame.subject, frame.expect = term, "predicate"
        spots.subjects.setdefault(term, line)
    elif role == "predicate":
        frame.predicate, frame.expect = term, "object"
        spots.properties.setdefault((frame.subject, term), line)
    else:
        if frame.predicate == RDF_TYPE and role != "subject":
            role = "type"
        frame.expect = "after" if frame.kind != "list" else "object"
    if not term.startswith("\0") and term not in spots.first_uses:
        spots.first_uses[term] = Use(term, line, role, value)


def _term(kind: str, value: str, prefixes: dict[str, str], base: str) -> str | None:
    if kind == "iri":
        return _join(base, value[1:-1])
    if kind == "pname":
        name, _, local = value.partition(":")
        if name in prefixes:
            return prefixes[name] + (re.sub(r"\\(.)", r"\1", local) if "\\" in local else local)
        return None
    if kind == "word" and value == "a":
        return RDF_TYPE
    if kind == "bnode":
        return "\0" + value
    return None


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@functools.lru_cache(maxsize=65536)
def _join(base: str, reference: str) -> str:
    """``urljoin(base, reference)``, remembered; an IRI of another scheme than the base's is
    returned as it is without parsing it, as urljoin returns it."""
    scheme = _SCHEME.match(reference)
    if scheme and scheme.group()[:-1].lower() != _scheme_of(base):
        return reference
    return urljoin(base, reference)


@functools.lru_cache(maxsize=256)
def _scheme_of(base: str) -> str:
    return urlparse(base).scheme


def _directive(
    tokens: list[tuple[str, str, int]], i: int, prefixes: dict[str, str], spots: FilePositions, base: str
) -> int:
    """Read ``@prefix p: <iri> .``, ``PREFIX p: <iri>``, ``@base <iri> .`` or ``BASE <iri>``."""
    keyword = tokens[i][1].lower().lstrip("@")
    line = tokens[i][2]
    i += 1
    if keyword == "prefix" and i + 1 < len(tokens) and tokens[i][0] == "pname":
        name = tokens[i][1].rstrip(":")
        if tokens[i + 1][0] == "iri":
            iri = urljoin(base, tokens[i + 1][1][1:-1])
            prefixes[name] = iri
            spots.prefixes.append(Prefix(name, iri, line))
        i += 2
    elif keyword == "base" and i < len(tokens) and tokens[i][0] == "iri":
        prefixes["\0base"] = urljoin(base, tokens[i][1][1:-1])
        i += 1
    if i < len(tokens) and tokens[i][1] == ".":
        i += 1
    return i
