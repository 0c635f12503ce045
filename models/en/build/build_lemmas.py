#!/usr/bin/env python3
"""Build models/en/lemmas.tsv from the WordNet 3.0 morphological exception
lists shipped by Debian's wordnet-base (/usr/share/wordnet/*.exc).

Each .exc line is `inflected lemma [lemma...]`; we keep the first lemma.
When a form occurs in several lists the verb reading wins (event rules test
verb lemmas), then noun, adjective, adverb.  Multi-word entries (with `_`)
are dropped: the lexicon assigns lemmas to single tokens.  Forms equal to
their lemma are dropped, except the hand-added ones below that stop the
regular -s rule from mangling words (news -> new).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nervedata import MODEL, write_tsv  # noqa: E402

WORDNET = os.environ.get("WORDNET_DIR", "/usr/share/wordnet")
ORDER = ["verb", "noun", "adj", "adv"]

# Hand-added irregular forms frequent in news that verb.exc lacks (forms
# identical to their lemma, like hit/cut/set, need no entry).
EXTRA = {
    "does": "do", "doing": "do", "done": "do", "did": "do",
    "has": "have", "having": "have", "had": "have",
    "is": "be", "are": "be", "am": "be", "was": "be", "were": "be", "been": "be", "being": "be",
    "stricken": "strike", "shorn": "shear", "wed": "wed",
    "re-elected": "re-elect", "reelected": "reelect",
    "outlawed": "outlaw", "misled": "mislead",
    "withdrew": "withdraw", "withdrawn": "withdraw",
    "overthrew": "overthrow", "overthrown": "overthrow",
    "oversaw": "oversee", "overseen": "oversee",
    "upheld": "uphold", "withheld": "withhold",
    "retook": "retake", "retaken": "retake", "rebuilt": "rebuild",
    "foresaw": "foresee", "foreseen": "foresee",
    "forbade": "forbid", "forbidden": "forbid",
    "people": "person", "men": "man", "women": "woman", "children": "child",
}

# Words ending in -s that are their own lemma: identity entries keep the
# lexicon's regular -s rule off them (news -> new, series -> sery).
IDENTITY = """
news series species headquarters means politics economics physics mathematics
statistics crisis analysis basis thesis diagnosis emphasis hypothesis synopsis
bus gas plus yes this his hers its thus us as was has is does always perhaps
whereas afterwards towards besides nevertheless various serious famous
previous numerous dangerous enormous obvious anxious conscious generous
jealous nervous tremendous unanimous vicious ridiculous religious
continuous ambitious prestigious notorious glorious mysterious curious
chaos status census campus virus bonus consensus corpus genius focus
thesis apparatus atlas canvas alias bias
""".split()


# WordNet mappings that are wrong for most news uses of the form: the
# noun reading dominates (on the ground, gunshot wound, news media, data).
OVERRIDE = {
    "ground": "ground", "wound": "wound", "media": "media", "data": "data",
    "further": "further",
}


def main():
    table = {}
    for pos in reversed(ORDER):        # later (higher-priority) lists overwrite
        path = os.path.join(WORDNET, pos + ".exc")
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 2:
                    continue
                form, lemma = parts[0].lower(), parts[1].lower()
                if "_" in form or "_" in lemma or form == lemma:
                    continue
                table[form] = lemma
    for form, lemma in OVERRIDE.items():
        table[form] = lemma
    for form, lemma in EXTRA.items():
        table.setdefault(form, lemma)
    for form in IDENTITY:
        table.setdefault(form, form)
    rows = [(f, l) for f, l in table.items()]
    write_tsv(os.path.join(MODEL, "lemmas.tsv"), "build_lemmas.py", rows,
              comments=["form<TAB>lemma, lowercase; WordNet 3.0 exception lists "
                        "(c) 2006 Princeton University, WordNet 3.0 licence: see SOURCES.md"])


if __name__ == "__main__":
    main()
