"""Find check-worthy claims in articles with spaCy, normalized against the reference.

spaCy lives in this package and no `Doc` leaves it. What counts as a claim is driven by the
reference: entity mentions come from entity names and aliases, attribute mentions from each
attribute's cues, and the value is read by the attribute's type from the parse.

- `model`: load the trained pipeline; run it with its entity recognizer first, or alone;
- `extractor`: the Extractor: blocks, tables, context, time;
- `sentence`: one sentence being read, and what its parse says (subjects, negation);
- `readers`: one reader per value type;
- `when`: the time a sentence gives a claim ("in 2022", "since 2005", "two years ago");
- `lines`: claims that run over lines (items under a list's intro, an answer under its
  question, an office holder under its label);
- `unsettled`: checked claims, quotations and statistics;
- `rules`: the attribute ruler's rules applied by an exact, faster matcher;
- `gate`: which sentences that only name entities still need the parser;
- `lemmas`: the rule lemmatizer's lemmas set faster, and every lemma a word may get.
"""

from pipeline.extract.extractor import EXTRACTOR_VERSION, Extractor, Parses
from pipeline.extract.model import MODEL_NAMES, load_model

__all__ = ["EXTRACTOR_VERSION", "MODEL_NAMES", "Extractor", "Parses", "load_model"]
