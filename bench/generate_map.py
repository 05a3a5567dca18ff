"""Make an evidence map of N studies in coprodkg's own model, from the bundled content.

Copy 0 is the bundled content itself (loaded by every command anyway); copies 1 … N-1 are written
as one N-Triples file each, the way a team keeps one file per study. In each copy every resource
of ``cpkid:`` is renamed (``cpkid:theme-1`` → ``cpkid:theme-1--m7``), blank nodes are its own and
study codes get the copy's number (``S1`` → ``S1.7``), while the schema, the shapes and the status
vocabulary stay shared. The copies are linked the way a real map is linked:

- **shared concepts**: every shared concept of the map (``cpk:SharedConcept``, when the evidence
  map's content is there) stays one resource; and each copy's own themes, mechanisms, barriers,
  facilitators, outcomes and concepts are aligned to the bundled study's (``skos:closeMatch`` with
  a ``cpk:Alignment`` claim giving strength, rationale and sources, as the map model says);
- **shared actor roles**: ``cpk:ActorRole`` resources are the same in every copy;
- **some shared authors and organisations**: people are shared within teams of
  :data:`TEAM` consecutive copies and organisations within groups of :data:`CONSORTIUM`.

    python bench/generate_map.py 100 /tmp/map100      # 99 files beside the bundled content
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
CONTENT = HERE.parent / "ontology" / "content"

ID = "https://w3id.org/coprodkg/id/"
CPK = "https://w3id.org/coprodkg/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"

#: People are shared by this many consecutive copies (a team writing several studies).
TEAM = 4
#: Organisations are shared by this many consecutive copies.
CONSORTIUM = 8
#: The kinds of a study's own concepts that are aligned to the bundled study's.
ALIGNED = ("Theme", "Mechanism", "Barrier", "Facilitator", "Outcome", "Concept", "Finding")


def _read(content: Path) -> tuple[list[ox.Triple], dict[str, set[str]]]:
    """Every triple of the content files, and each resource's types."""
    triples: list[ox.Triple] = []
    for path in sorted(content.rglob("*.ttl")):
        triples.extend(t.triple for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    types: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == RDF + "type" and isinstance(t.subject, ox.NamedNode):
            types.setdefault(t.subject.value, set()).add(t.object.value)
    return triples, types


def _classes(triples: list[ox.Triple]) -> dict[str, set[str]]:
    """Class -> its superclasses (itself included), from the schema's rdfs:subClassOf."""
    schema = ox.parse(path=str(CONTENT.parent / "schema.ttl"), format=ox.RdfFormat.TURTLE)
    parents: dict[str, set[str]] = {}
    for t in [*(q.triple for q in schema), *triples]:
        if t.predicate.value == RDFS + "subClassOf":
            parents.setdefault(t.subject.value, set()).add(t.object.value)

    def up(c: str, seen: set[str]) -> set[str]:
        for p in parents.get(c, ()):
            if p not in seen:
                seen.add(p)
                up(p, seen)
        return seen

    return {c: up(c, {c}) for c in parents}


class MapCopy:
    """The renaming of copy ``number`` of the content."""

    def __init__(self, number: int, types: dict[str, set[str]], supers: dict[str, set[str]]) -> None:
        self.number = number
        self.types = types
        self.supers = supers

    def _is(self, iri: str, cls: str) -> bool:
        return any(cls in self.supers.get(t, {t}) for t in self.types.get(iri, ()))

    def iri(self, iri: str) -> str:
        if not iri.startswith(ID) or iri == ID:
            return iri
        if self._is(iri, CPK + "SharedConcept") or self._is(iri, CPK + "EvidenceMap"):
            return iri
        if self._is(iri, CPK + "ActorRole"):
            return iri
        if self._is(iri, FOAF + "Person"):
            group = self.number // TEAM
            return iri if group == 0 else f"{iri}--t{group}"
        if self._is(iri, ORG + "Organization"):
            group = self.number // CONSORTIUM
            return iri if group == 0 else f"{iri}--g{group}"
        return f"{iri}--m{self.number}"

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, predicate: str = "") -> str:
        if isinstance(term, ox.NamedNode):
            return f"<{self.iri(term.value)}>"
        if isinstance(term, ox.BlankNode):
            return f"_:m{self.number}x{term.value}"
        if predicate == SKOS + "notation" and term.value[:1] in "SE" and term.value[1:2].isdigit():
            term = ox.Literal(f"{term.value}.{self.number}", datatype=term.datatype)
        return str(term)

    def lines(self, triples: list[ox.Triple]) -> Iterator[str]:
        for t in triples:
            p = t.predicate.value
            yield f"{self.term(t.subject)} <{p}> {self.term(t.object, p)} .\n"  # type: ignore[arg-type]
        yield from self.alignments()

    def alignments(self) -> Iterator[str]:
        """Each of this copy's own concepts, close to the bundled study's concept of the same name."""
        for iri in sorted(self.types):
            if not any(self._is(iri, CPK + k) for k in ALIGNED):
                continue
            mine = self.iri(iri)
            if mine == iri:
                continue
            slug = iri[len(ID) :]
            claim = f"<{ID}align-{slug}--m{self.number}>"
            yield f"<{mine}> <{SKOS}closeMatch> <{iri}> .\n"
            yield f"{claim} <{RDF}type> <{CPK}Alignment> .\n"
            yield f"{claim} <{RDF}type> <{CPK}Claim> .\n"
            yield f'{claim} <{RDFS}label> "{slug} (copy {self.number}) — close to — {slug}"@en .\n'
            yield f"{claim} <{RDF}subject> <{mine}> .\n"
            yield f"{claim} <{RDF}predicate> <{SKOS}closeMatch> .\n"
            yield f"{claim} <{RDF}object> <{iri}> .\n"
            yield f"{claim} <{CPK}status> <{CPK}Interpretation> .\n"
            yield f"{claim} <{CPK}matchStrength> <{CPK}CloseMatch> .\n"
            yield (
                f'{claim} <{CPK}rationale> "Copy {self.number} of the study reports the same idea '
                'in the same words as the seed study."@en .\n'
            )
            yield f"{claim} <{PROV}wasDerivedFrom> <{self.iri(ID + 'S1')}> .\n"
            yield f"{claim} <{PROV}wasDerivedFrom> <{ID}S1> .\n"


def generate(studies: int, out: Path, content: Path = CONTENT) -> list[Path]:
    """Write copies 1 … ``studies``-1 of the content into ``out``; return the files written."""
    triples, types = _read(content)
    supers = _classes(triples)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("study-*.nt"):
        old.unlink()
    written = []
    for number in range(1, studies):
        path = out / f"study-{number:04d}.nt"
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(MapCopy(number, types, supers).lines(triples))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("studies", type=int, help="studies in the map, the bundled one included")
    parser.add_argument("out", type=Path, help="folder for the generated files")
    args = parser.parse_args()
    if args.studies < 1:
        sys.exit("generate_map.py: error: the map needs at least 1 study")
    files = generate(args.studies, args.out)
    print(f"{len(files)} files in {args.out}")


if __name__ == "__main__":
    main()
