"""Make an evidence map of N studies in coprodkg's own model, from the bundled content.

N counts studies. The bundled ones come first (every command loads them anyway): the seed, and,
once the evidence map's content is there, E1 … E10. Study k beyond them is copy k // t of bundled
study k % t (t bundled studies), written as one N-Triples file, the way a team keeps one file per
study; the map's ``cpk:includesStudy`` names each new study. In each copy every resource
of ``cpkid:`` is renamed (``cpkid:theme-1`` → ``cpkid:theme-1--m7``), blank nodes are its own and
study codes get the copy's number (``S1`` → ``S1.7``), while the schema, the shapes and the status
vocabulary stay shared. The copies are linked the way a real map is linked:

- **shared concepts**: the map's shared concepts (``cpk:SharedConcept``) stay one resource each,
  so every copy's alignments to them link it to the other studies' concepts; without the map's
  content, each copy's own themes, mechanisms, barriers, facilitators, outcomes and concepts are
  aligned to the seed's (``skos:closeMatch`` with a ``cpk:Alignment`` claim giving strength,
  rationale and sources, as the map model says);
- **shared actor roles**: ``cpk:ActorRole`` resources are the same in every copy;
- **some shared authors and organisations**: people are shared within teams of
  :data:`TEAM` consecutive copies and organisations within groups of :data:`CONSORTIUM`.

    python bench/generate_map.py 100 /tmp/map100      # 99 (or 89) files beside the bundled content
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


def _parse(paths: list[Path]) -> list[ox.Triple]:
    return [q.triple for path in paths for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


def _types(triples: list[ox.Triple]) -> dict[str, set[str]]:
    types: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == RDF + "type" and isinstance(t.subject, ox.NamedNode):
            types.setdefault(t.subject.value, set()).add(t.object.value)
    return types


def templates(content: Path) -> list[list[Path]]:
    """The bundled studies, each as the files a copy of it is made from.

    With the evidence map's content (``studies/eNN-*.ttl``) there are eleven: the seed (every
    file outside ``studies/`` but the map itself) and E1 … E10; each takes ``studies/authors.ttl``
    along, for its people. Without it the whole content is one study.
    """
    every = sorted(content.rglob("*.ttl"))
    studies = sorted((content / "studies").glob("e[0-9]*.ttl"))
    if not studies:
        return [every]
    authors = [p for p in [content / "studies" / "authors.ttl"] if p.is_file()]
    shared = {*studies, *authors, content / "map" / "evidence-map.ttl"}
    return [[p for p in every if p not in shared] + authors, *([s, *authors] for s in studies)]


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

    def __init__(
        self, number: int, types: dict[str, set[str]], supers: dict[str, set[str]], *, align: bool = True
    ) -> None:
        self.number = number
        self.types = types
        self.supers = supers
        self.align = align

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
        if self.align:
            yield from self.alignments()

    def alignments(self) -> Iterator[str]:
        """Each of this copy's own concepts, close to the bundled study's concept of the same name
        (when the content has no shared concepts of its own to align to)."""
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
    """Write studies ``len(templates)`` … ``studies``-1 of the map into ``out``, one file each, and
    return the files written (the first ones are the bundled studies themselves).

    Study ``k`` is copy ``k // t`` of bundled study ``k % t`` (``t`` bundled studies).
    """
    parts = [_parse(paths) for paths in templates(content)]
    everything = _parse(sorted(content.rglob("*.ttl")))  # the map's own file too: what is shared
    types = _types(everything)
    supers = _classes(everything)
    shared = any(CPK + "SharedConcept" in found for found in types.values())
    maps = sorted(iri for iri, found in types.items() if CPK + "EvidenceMap" in found)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("study-*.nt"):
        old.unlink()
    written = []
    for number in range(len(parts), studies):
        triples = parts[number % len(parts)]
        copy = MapCopy(number // len(parts), types, supers, align=not shared)
        path = out / f"study-{number:04d}.nt"
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(copy.lines(triples))
            included = sorted({t.object.value for t in triples if t.predicate.value == CPK + "mapStudy"})
            handle.writelines(
                f"<{m}> <{CPK}includesStudy> <{copy.iri(study)}> .\n" for m in maps for study in included
            )
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
