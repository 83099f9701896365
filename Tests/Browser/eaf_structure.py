"""Reads an ELAN file with pympi-ling (an independent reader) and prints its structure as JSON: tiers with their
attributes, alignable annotations (with their slots' times, null when unaligned), reference annotations, linguistic
types, controlled vocabularies, languages, constraints and media descriptors.

Usage: eaf_structure.py FILE.eaf
"""
import json
import sys

import pympi


def main():
    eaf = pympi.Elan.Eaf(sys.argv[1])
    tiers = {}
    for name, (aligned, refs, attributes, _) in eaf.tiers.items():
        tiers[name] = {
            "attributes": {k: v for k, v in attributes.items()},
            "aligned": sorted([aid, eaf.timeslots.get(a[0]), eaf.timeslots.get(a[1]), a[2]] for aid, a in aligned.items()),
            "refs": sorted([rid, r[0], r[1]] for rid, r in refs.items()),
        }
    print(json.dumps({
        "tiers": tiers,
        "linguisticTypes": eaf.linguistic_types,
        "controlledVocabularies": {k: [v[0], sorted(v[1].items()) if isinstance(v[1], dict) else v[1]] for k, v in eaf.controlled_vocabularies.items()},
        "languages": eaf.languages,
        "constraints": eaf.constraints,
        "media": eaf.media_descriptors,
    }, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
