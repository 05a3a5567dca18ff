"""``coprodkg new KIND``: a Turtle snippet to start from, that validate flags until it is filled in.

Every snippet declares the prefixes it uses, gives the properties the shapes require, and records
each link it makes as a ``cpk:Claim``. What only the author knows is a placeholder: text starting
``TODO`` and IRIs whose name starts ``TODO-``; ``coprodkg validate`` reports each one left.

>>> text = render_new("barrier", ident="no-time")
>>> "ex:no-time a cpk:Barrier" in text and "ex:claim-no-time-hinders a cpk:Claim" in text
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError, TermError
from .namespaces import PREFIXES

__all__ = ["KINDS", "append_text", "claim_turtle", "render_new", "write_new"]

DEFAULT_BASE = "https://example.org/my-study/"
STATUS = "cpk:StatedInStudy"


@dataclass(frozen=True)
class Kind:
    """One kind of resource ``new`` scaffolds: its class, and the link it starts with (if any)."""

    cls: str
    what: str
    link: str = ""
    target: str = ""


KINDS: dict[str, Kind] = {
    "study": Kind("cpk:Study", "the publication reporting research of its own, ready for the evidence map"),
    "theme": Kind("cpk:Theme", "a theme the study reports", "cpk:addresses", "barrier"),
    "barrier": Kind(
        "cpk:Barrier", "something in the way of co-production or evidence use", "cpk:hinders", "outcome"
    ),
    "mechanism": Kind(
        "cpk:Mechanism", "a process through which something comes about", "cpk:overcomes", "barrier"
    ),
    "facilitator": Kind("cpk:Facilitator", "something the study says helps", "cpk:helps", "outcome"),
    "outcome": Kind("cpk:Outcome", "a result that things lead to or help"),
    "actor": Kind("cpk:ActorRole", "a kind of actor (local authority staff, academic researchers ...)"),
    "source": Kind("cpk:Publication", "a document claims are taken from"),
    "claim": Kind("cpk:Claim", "one link with its source, status and section"),
}

_USED = ("cpk", "cpkid", "rdf", "rdfs", "xsd", "skos", "prov", "dct", "fabio", "oa")


def _prefixes(prefix: str, base: str) -> str:
    lines = [f"@prefix {p + ':':<7}<{PREFIXES[p]}> ." for p in _USED]
    lines.append(f"@prefix {prefix + ':':<7}<{base}> .")
    return "\n".join(lines)


def claim_turtle(
    claim: str,
    triple: tuple[str, str, str],
    *,
    status: str = STATUS,
    sources: str = "",
    label: str = "",
    section: str | None = None,
    anchor: str | None = None,
) -> str:
    """The Turtle of one claim, every term already written as the file writes it (CURIEs, quoted text).

    ``section`` and ``anchor`` are Turtle literals; None leaves them out.

    >>> print(claim_turtle("ex:c", ("ex:a", "cpk:hinders", "ex:b"), sources="ex:s", label='"a — b"@en'), end="")
    ex:c a cpk:Claim ;
        rdfs:label "a — b"@en ;
        rdf:subject ex:a ; rdf:predicate cpk:hinders ; rdf:object ex:b ;
        cpk:status cpk:StatedInStudy ;
        prov:wasDerivedFrom ex:s .
    """
    subject, predicate, obj = triple
    lines = [f"{claim} a cpk:Claim ;"]
    if label:
        lines.append(f"    rdfs:label {label} ;")
    lines += [
        f"    rdf:subject {subject} ; rdf:predicate {predicate} ; rdf:object {obj} ;",
        f"    cpk:status {status} ;",
    ]
    if section is not None:
        lines.append(f"    cpk:section {section} ;")
    if anchor is not None:
        lines.append(f"    cpk:anchor [ a oa:TextQuoteSelector ; oa:exact {anchor} ] ;")
    lines.append(f"    prov:wasDerivedFrom {sources or '<your source>'} .")
    return "\n".join(lines) + "\n"


def _claim(claim: str, subject: str, predicate: str, obj: str, source: str) -> str:
    """A claim with placeholders for what only the author knows."""
    local = predicate.split(":", 1)[1]
    return claim_turtle(
        claim,
        (subject, predicate, obj),
        sources=source,
        label=f'"TODO: subject — {local} — object"@en',
        section='"TODO: the section it is stated in"',
        anchor='"TODO: a few words"',
    )


def _concept(ex: str, ident: str, kind: Kind, label: str, source: str) -> list[str]:
    lines = [
        f"{ex}:{ident} a {kind.cls} ;",
        f'    skos:prefLabel "{label}"@en ;',
        '    skos:definition "TODO: what this is, in your own words"@en ;',
    ]
    if kind.cls == "cpk:Theme":
        lines += [
            '    skos:notation "TODO: its number, such as 1" ;',
            f"    skos:inScheme {ex}:TODO-scheme ;",
        ]
    if kind.link:
        lines.append(f"    {kind.link} {ex}:TODO-{kind.target} ;")
    lines += [f"    cpk:status {STATUS} ;", f"    prov:wasDerivedFrom {source} ."]
    return lines


def _study(ex: str, ident: str, label: str) -> list[str]:
    me = f"{ex}:{ident}"
    return [
        "# To put the study on the evidence map, add: cpkid:evidence-map cpk:includesStudy " + me + " .",
        f"{me} a cpk:Study , fabio:JournalArticle ;",
        f'    skos:prefLabel "{label}"@en ;',
        '    skos:definition "TODO: what the study did, in one sentence"@en ;',
        '    skos:notation "TODO: a short code, such as E11" ;',
        '    dct:title "TODO: the title as published"@en ;',
        '    fabio:hasPublicationYear "TODO: the year, such as 2024, with ^^xsd:gYear after the quotes" ;',
        '    cpk:setting "TODO: where it was done, in plain words" ;',
        '    cpk:researchDesign "TODO: its design, such as qualitative interviews" ;',
        '    cpk:aim "TODO: what it set out to do" ;',
        f"    cpk:mapStudy {me} ;",
        f"    cpk:readability {ex}:readability-{ident} ;",
        f"    cpk:reportsData {ex}:{ident}-data ;",
        f"    cpk:status {STATUS} ;",
        f"    prov:wasDerivedFrom {me} .",
        "",
        f"{ex}:readability-{ident} a cpk:ReadabilityRecord ;",
        '    rdfs:label "TODO: what of the study was read"@en ;',
        "    cpk:readingExtent cpk:ReadInPart ;  # or cpk:ReadInFull, cpk:ReadNearlyInFull",
        '    cpk:textRead "TODO: which parts were read, such as the abstract and the results" .',
        "",
        f"{ex}:{ident}-data a cpk:DataSource ;  # or cpk:InterviewStrand, cpk:Survey, cpk:WorkshopSeries ...",
        '    skos:prefLabel "TODO: its data, such as interviews with council staff"@en ;',
        '    skos:definition "TODO: how the data were gathered"@en ;',
        f"    cpk:status {STATUS} ;",
        f"    prov:wasDerivedFrom {me} .",
    ]


def _source(ex: str, ident: str, label: str) -> list[str]:
    return [
        f"{ex}:{ident} a cpk:Publication ;  # or cpk:Study, cpk:ResearchBrief, cpk:ProjectReport, cpk:WebPage",
        f'    skos:prefLabel "{label}"@en ;',
        '    skos:notation "TODO: a short code, not used by another source" ;',
        '    dct:title "TODO: the title as published"@en ;',
        f"    cpk:status {STATUS} ;",
        f"    prov:wasDerivedFrom {ex}:{ident} .",
    ]


def render_new(
    kind: str,
    *,
    ident: str | None = None,
    label: str | None = None,
    source: str | None = None,
    prefix: str = "ex",
    base: str = DEFAULT_BASE,
) -> str:
    """The Turtle snippet for one ``kind`` (see :data:`KINDS`), with the prefixes it uses."""
    if kind not in KINDS:
        raise TermError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    if prefix in PREFIXES and PREFIXES[prefix] != base:
        raise TermError(f"--prefix {prefix} is a known prefix ({PREFIXES[prefix]}): choose another name")
    spec = KINDS[kind]
    ident = ident or f"TODO-{kind}"
    label = label or f"TODO: a short label for the {kind}"
    own = f"{prefix}:{ident}"
    src = source or (own if kind in ("study", "source") else f"{prefix}:TODO-source")
    head = [f"# A new {kind}: {spec.what}.", "# Replace every TODO, then run `coprodkg validate FILE`.", ""]
    if kind == "study":
        body = _study(prefix, ident, label)
    elif kind == "source":
        body = _source(prefix, ident, label)
    elif kind == "claim":
        body = [_claim(own, f"{prefix}:TODO-subject", "cpk:addresses", f"{prefix}:TODO-object", src).rstrip()]
        head[1] = "# Assert the link itself too (subject predicate object .); " + head[1][2:]
    else:
        body = _concept(prefix, ident, spec, label, src)
    text = "\n".join([*head, _prefixes(prefix, base), "", *body]) + "\n"
    link = (
        ("cpk:reportsData", f"{prefix}:{ident}-data")
        if kind == "study"
        else (spec.link, f"{prefix}:TODO-{spec.target}")
    )
    if link[0]:
        claim = f"{prefix}:claim-{ident}-{link[0].split(':', 1)[1]}"
        text += "\n" + _claim(claim, own, link[0], link[1], src)
    return text


def write_new(text: str, output: Path, *, append: bool = False) -> None:
    """Write a snippet to a new file, or add it at the end of an existing one with ``append``.

    Never rewrites what a file holds: without ``append`` an existing file is refused; with it, the
    snippet is only added after the file's last byte.
    """
    if output.is_dir():
        raise OutputError(f"{output} is a folder: give a file name")
    if output.exists() and not append:
        raise OutputError(
            f"{output} exists: pass --append to add the snippet at its end, or choose a new file"
        )
    if append and not output.exists():
        raise OutputError(
            f"--append adds to an existing file, and {output} does not exist: leave out --append"
        )
    try:
        if append:
            append_text(output, text)
        else:
            with output.open("x", encoding="utf-8") as handle:
                handle.write(text)
    except OSError as error:
        raise OutputError(f"cannot write {output}: {error.strerror or error}") from None


def append_text(path: Path, text: str) -> None:
    """Add ``text`` after the last byte of ``path`` (starting on a new line), changing nothing before."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        ends_cleanly = handle.tell() == 0 or (handle.seek(-1, 2) >= 0 and handle.read(1) == b"\n")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("" if ends_cleanly else "\n") + "\n" + text)
