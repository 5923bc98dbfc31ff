"""Comment analytics, offline: personal data removed, then language, themes and sentiment.

:func:`analyse` runs the whole pipeline on a column of comments and returns a
:class:`CommentAnalysis`. Personal data is scrubbed first (:mod:`cxlib.text.pii`); nothing
after that sees the raw text. Comments are split into words with Arrow's vectorised string
kernels, and every *distinct* word is looked up once: its language likelihoods
(:mod:`cxlib.text.language`), the themes it signals and its sentiment weight
(:mod:`cxlib.text.lexicon`). Per-comment results are then sums and maxima over word positions
in NumPy.

Sentiment is a transparent lexicon score: the weights of the sentiment words of a comment,
with the first one after a negator flipped ("inte nöjd"; a conjunction such as "och" or "när"
ends the negator's reach), raised after an intensifier ("väldigt dålig", "jättesnabbt"), and
raised in the clause after a contrast word ("bra personal men ..."). A negator right after a
sentiment word with nothing to flip after it flips that word ("stämmer inte"); one that flips
nothing at all ("ingen har ringt") counts as a mild complaint. A theme mention takes the score
of the clauses it occurs in, or the comment's score when those carry no sentiment words.
Results are cached on disk by a hash of the comments, the lexicons and this code.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import language as lang_mod
from .lexicon import SentimentLexicon, StemIndex, Theme, default_sentiment, default_taxonomy
from .pii import PLACEHOLDERS, as_string_array, scrub_with_counts

SENTIMENTS = ("negative", "neutral", "positive")
"""Sentiment classes, in the order of their codes −1, 0, 1."""

THRESHOLD = 0.5
"""Lexicon points from which a comment or mention counts as positive (≥) or negative (≤ −)."""

NEGATOR_WEIGHT = -0.5
"""Points of a negator that flips no sentiment word within its window ("ingen har ringt")."""

QUESTION_WEIGHT = 0.3
"""Weight of a clause ending in a question mark ("fungerar appen på iPad?")."""

OUTCRY_WEIGHT = -0.5
"""Points of repeated or exclaimed question marks ("två fakturor??", "sex veckor?!")."""

NEGATION_WINDOW = 4
"""Words after a negator that it flips."""

INTENSIFYING_PREFIXES = ("jätte", "kjempe", "super", "mega", "sjukt", "skikkelig")
"""Word beginnings that intensify the rest of the word (``jättesnabbt``, ``kjempegod``)."""

CHUNK = 250_000
"""Comments analysed per batch: bounds memory and paces progress reports."""

MAX_WORD_LENGTH = 40
"""Letters beyond which a token is not a word (no theme, sentiment or language is looked up for it).

Real compounds stay well below this (``kundtjänstmedarbetarna`` has 22); a 100,000-letter token
without spaces would otherwise cost time quadratic in its length in stem matching."""

_BREAK, _QUESTION, _OUTCRY = ".", "?", "??"
_COMMENT_COLUMNS = ("comment", "language", "sentiment", "score", "themes")
_PLACEHOLDER = "|".join(p.replace("[", r"\[").replace("]", r"\]") for p in PLACEHOLDERS.values())


@dataclass(frozen=True)
class CommentAnalysis:
    """Result of :func:`analyse`.

    Attributes
    ----------
    comments : DataFrame, one row per input comment (same index): ``comment`` (scrubbed
        text), ``language`` (code, missing when the comment has no words), ``sentiment``
        (negative/neutral/positive, missing for missing comments), ``score`` (−1…1) and
        ``themes`` (theme ids joined by ``|``).
    mentions : DataFrame, one row per theme mentioned in a comment: ``row`` (position in
        ``comments``), ``theme``, ``sentiment`` and ``score`` (−1…1) of that mention.
    themes : the taxonomy used.
    language_shares : estimated share (0–1) of comments per language.
    pii : number of personal-data items removed, per kind.
    """

    comments: pd.DataFrame
    mentions: pd.DataFrame
    themes: tuple[Theme, ...]
    language_shares: dict[str, float]
    pii: dict[str, int]

    def theme_matrix(self, sentiment: str | None = None) -> pd.DataFrame:
        """Boolean (comments × themes) table: True where the comment mentions the theme.

        ``sentiment`` keeps only mentions of that sentiment (e.g. ``"negative"``).
        """
        m = self.mentions if sentiment is None else self.mentions[self.mentions["sentiment"] == sentiment]
        ids = [t.id for t in self.themes]
        out = np.zeros((len(self.comments), len(ids)), dtype=bool)
        out[m["row"].to_numpy(), pd.Index(ids).get_indexer(m["theme"])] = True
        return pd.DataFrame(out, index=self.comments.index, columns=ids)


def analyse(texts, *, languages: Sequence[str] = lang_mod.SUPPORTED,
            taxonomy: Sequence[Theme] | None = None, lexicon: SentimentLexicon | None = None,
            cache_dir: str | Path | None = None,
            progress: Callable[[int, int], None] | None = None) -> CommentAnalysis:
    """Scrub, detect language, find themes and score sentiment of every comment.

    Parameters
    ----------
    texts : pandas Series, Arrow array or sequence of strings (missing values allowed)
    languages : codes of the languages customers write in (subset of ``sv nb da en``);
        fewer languages means fewer mistakes
    taxonomy : themes to find; default :func:`cxlib.text.lexicon.default_taxonomy`
    lexicon : sentiment lexicon; default :func:`cxlib.text.lexicon.default_sentiment`
    cache_dir : folder for cached results, keyed by a hash of the comments, the lexicons and this
        code; it keeps the latest analysis only. ``None`` = no cache
    progress : called as ``progress(done, total)`` after each batch of comments
    """
    taxonomy = tuple(taxonomy or default_taxonomy())
    lexicon = lexicon or default_sentiment()
    languages = tuple(languages)
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(texts))
    raw = _as_arrow(texts)
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"text-{_cache_key(raw, languages, taxonomy, lexicon)}"
        cached = _load(path, index, taxonomy)
        if cached is not None:
            return cached
    comments, mentions, shares, counts = _Pipeline(languages, taxonomy, lexicon).run(raw, progress)
    comments.index = index
    analysis = CommentAnalysis(comments, mentions, taxonomy, shares, counts)
    if path is not None:
        _save(path, analysis)
        for old in path.parent.glob("text-*"):  # a report folder keeps the analysis of its comments only
            if old != path:
                shutil.rmtree(old, ignore_errors=True)
    return analysis


def evaluate(labelled: pd.DataFrame, **kwargs) -> dict:
    """Accuracy of :func:`analyse` against hand labels, for a labelled evaluation set.

    ``labelled`` has columns ``text``, ``language``, ``sentiment`` and ``themes`` (theme
    ids joined by ``|``, empty for none); ``kwargs`` go to :func:`analyse`. Returns
    ``language`` and ``sentiment``: accuracy (0–1) per true language; ``themes_f1``: micro
    F1 (0–1) over (comment, theme) pairs; ``n``: comments per language.
    """
    labelled = labelled.reset_index(drop=True)
    c = analyse(labelled["text"], **kwargs).comments
    by = labelled["language"]
    hit_lang = pd.Series(c["language"].fillna("").to_numpy() == by.to_numpy())
    hit_sent = pd.Series(c["sentiment"].fillna("").to_numpy() == labelled["sentiment"].to_numpy())
    gold = {(i, th) for i, s in enumerate(labelled["themes"].fillna("")) for th in s.split("|") if th}
    pred = {(i, th) for i, s in enumerate(c["themes"]) for th in s.split("|") if th}
    return {"language": hit_lang.groupby(by).mean().to_dict(), "sentiment": hit_sent.groupby(by).mean().to_dict(),
            "themes_f1": 2 * len(gold & pred) / (len(gold) + len(pred)), "n": by.value_counts().to_dict()}


def _as_arrow(texts) -> pa.LargeStringArray:
    """The texts as one contiguous large-string array (see :func:`cxlib.text.pii.as_string_array`)."""
    return as_string_array(texts).cast(pa.large_string())


class _Pipeline:
    """One analysis run; remembers every distinct word it has looked up."""

    def __init__(self, languages, taxonomy, lexicon: SentimentLexicon):
        self.languages, self.taxonomy, self.lexicon = languages, taxonomy, lexicon
        self.themes = StemIndex({stem: k for k, t in enumerate(taxonomy) for stem in t.stems})
        self.sentiment = StemIndex(lexicon.weights, compounds=False)
        self.words: dict[str, int] = {}  # word -> row in the arrays below
        self.word_list: list[str] = []
        self._stem_rows: dict[str, np.ndarray] = {}
        self.lang = np.zeros((0, len(languages)), dtype=np.float32)
        self.bits = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0, dtype=np.float32)
        self.role = np.zeros(0, dtype=np.int8)  # 1 negator, 2 contrast, 3 intensifier, 4 break, 5 "?", 6 conjunction

    def run(self, raw: pa.Array, progress):
        n = len(raw)
        parts, mentions, totals, has_words = [], [], [], []
        for start in range(0, n, CHUNK):
            chunk = raw.slice(start, CHUNK)
            text, counts = scrub_with_counts(chunk)
            comments, found, lang_totals, words = self._chunk(text)
            found["row"] += start
            parts.append((text, comments, counts))
            mentions.append(found)
            totals.append(lang_totals)
            has_words.append(words)
            if progress:
                progress(min(start + CHUNK, n), n)
        best, shares = lang_mod.detect(np.concatenate(totals) if totals else np.zeros((0, len(self.languages))),
                                       np.concatenate(has_words) if has_words else np.zeros(0, bool))
        codes = np.array([*self.languages, None], dtype=object)
        comments = pd.concat([c for _, c, _ in parts], ignore_index=True) if parts else _empty_comments()
        comments.insert(0, "comment", pd.array(pa.chunked_array([t for t, _, _ in parts], pa.large_string())
                                               if parts else [], dtype="str"))
        comments.insert(1, "language", pd.array(codes[best], dtype="str"))
        mentions = pd.concat(mentions, ignore_index=True) if mentions else _empty_mentions()
        pii = {kind: sum(c[kind] for _, _, c in parts) for kind in PLACEHOLDERS}
        return comments, mentions, dict(zip(self.languages, map(float, shares))), pii

    def _chunk(self, text: pa.Array):
        n = len(text)
        words = pc.replace_substring_regex(pc.utf8_lower(text), _PLACEHOLDER, " ")
        words = pc.replace_substring_regex(words, r"n['’]t\b", " not")  # don't -> do not
        words = pc.replace_substring_regex(words, r"[?!]*\?[?!]+|[?!]+\?", " ?? . ")
        words = pc.replace_substring_regex(words, r"(^|[^?])\?($|[^?])", "\\1 ? \\2")
        words = pc.replace_substring_regex(words, r"[.!;:,]+|\s[-–]\s", " . ")
        lists = pc.split_pattern_regex(pc.fill_null(words, ""), r"[^\p{L}.?]+")
        flat = pc.list_flatten(lists)
        comment = pc.list_parent_indices(lists).to_numpy()
        keep = pc.not_equal(flat, "")
        flat, comment = flat.filter(keep), comment[keep.to_numpy(zero_copy_only=False)]
        encoded = flat.dictionary_encode()
        rows = self._rows(encoded.dictionary.to_pylist())[encoded.indices.to_numpy()]
        tokens = _Tokens(comment, rows, self)
        score = tokens.comment_scores(n)
        nulls = pc.is_null(text).to_numpy(zero_copy_only=False)
        label = np.where(score >= THRESHOLD, 2, np.where(score <= -THRESHOLD, 0, 1))
        comments = pd.DataFrame({
            "sentiment": pd.array(np.where(nulls, None, np.array(SENTIMENTS, dtype=object)[label]), dtype="str"),
            "score": np.where(nulls, np.nan, np.tanh(score / 2)),
        })
        found = tokens.mentions(score)
        ids = np.array([t.id for t in self.taxonomy], dtype=object)
        bits = np.zeros(n, np.int64)
        np.bitwise_or.at(bits, found["row"].to_numpy(), np.left_shift(1, found["theme"].to_numpy()))
        masks, inverse = np.unique(bits, return_inverse=True)
        names = np.array(["|".join(ids[(int(m) >> np.arange(len(ids))) & 1 == 1]) for m in masks], dtype=object)
        comments["themes"] = pd.array(names[inverse], dtype="str")
        found["theme"] = pd.array(ids[found["theme"].to_numpy()], dtype="str")
        lang_totals = np.zeros((n, len(self.languages)))
        for j in range(len(self.languages)):
            lang_totals[:, j] = np.bincount(comment, weights=self.lang[rows, j], minlength=n)
        has_words = np.bincount(comment, weights=(self.role[rows] < 4) | (self.role[rows] == 6), minlength=n) > 0
        return comments, found, lang_totals, has_words

    def _rows(self, vocab: list[str]) -> np.ndarray:
        """Row of each word in the per-word arrays, looking up words not seen before."""
        new = [w for w in vocab if w not in self.words]
        long = [w for w in new if len(w) > MAX_WORD_LENGTH]
        if long:  # stands for no word: looked up as the empty token
            new = [w for w in new if len(w) <= MAX_WORD_LENGTH]
            self.words.update(dict.fromkeys(long, self._rows([""])[0]))
        if new:
            start = len(self.word_list)
            self.words.update((w, start + i) for i, w in enumerate(new))
            self.word_list += new
            lex = self.lexicon
            lang = lang_mod.word_log_likelihoods([w if len(w) > 1 else "" for w in new], self.languages)
            lang[[not w.isalpha() or len(w) < 2 for w in new]] = 0
            self.lang = np.vstack([self.lang, lang.astype(np.float32)])
            self.bits = np.r_[self.bits, [_theme_bits(self.themes.matches(w)) for w in new]]
            self.weight = np.r_[self.weight, [OUTCRY_WEIGHT if w == _OUTCRY else self._weight(w) for w in new]]
            self.role = np.r_[self.role, [1 if w in lex.negators else 2 if w in lex.contrast else
                                          3 if w in lex.intensifiers else 4 if w == _BREAK else
                                          5 if w == _QUESTION else 6 if w in lex.conjunctions else 0
                                          for w in new]].astype(np.int8)
        return np.array([self.words[w] for w in vocab], dtype=np.int64)

    def _weight(self, word: str) -> float:
        """Sentiment points of a word; an intensifying prefix raises the rest ("jättesnabbt")."""
        found = self.sentiment.matches(word)
        if found:
            return found[0].value
        for prefix in INTENSIFYING_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 3 and (found := self.sentiment.matches(rest)):
                return found[0].value * self.lexicon.intensifier_weight
        return 0.0

    def matching_rows(self, index: StemIndex, stem: str) -> np.ndarray:
        """Boolean per known word: does it match ``stem`` (the last word of a phrase)?

        Computed once per word and stem; later batches only look at words new to them.
        """
        known = self._stem_rows.get(stem, np.zeros(0, bool))
        if len(known) < len(self.word_list):
            extra = [stem in w and index.match_word(w, stem) for w in self.word_list[len(known):]]
            known = self._stem_rows[stem] = np.r_[known, np.array(extra, bool)]
        return known


def _theme_bits(matches) -> int:
    bits = 0
    for m in matches:
        bits |= 1 << m.value
    return bits


class _Tokens:
    """Word positions of one batch and the sentiment arithmetic over them."""

    def __init__(self, comment: np.ndarray, rows: np.ndarray, pipe: _Pipeline):
        self.comment, self.rows, self.pipe = comment, rows, pipe
        lex = pipe.lexicon
        weight = pipe.weight[rows].copy()
        role = pipe.role[rows].copy()
        bits = pipe.bits[rows].copy()
        self._phrases(weight, role, bits)
        self.bits = bits
        t = len(rows)
        idx = np.arange(t)
        new_comment = np.r_[True, comment[1:] != comment[:-1]] if t else np.zeros(0, bool)
        ends = (role == 4) | (role == 5)
        start = new_comment | np.r_[False, ends[:-1]][:t] | (role == 2)
        self.clause = np.cumsum(start) - 1
        clause_start = np.flatnonzero(start)
        factor = np.where(role[clause_start] == 2, lex.contrast_weight, 1.0)
        factor[self.clause[role == 5]] *= QUESTION_WEIGHT
        neg = role == 1
        last_neg = np.maximum.accumulate(np.where(neg, idx, -1)) if t else idx
        before = np.r_[-1, last_neg[:-1]][:t]
        # a negator flips the first sentiment word within its window, not the ones after it, and
        # not across a conjunction ("inte ... när fibern fortfarande strular")
        weighted = np.cumsum(weight != 0)
        between = weighted - (weight != 0) - np.where(before >= 0, weighted[np.maximum(before, 0)], 0)
        scope = np.cumsum(role == 6)
        crossed = scope - np.where(before >= 0, scope[np.maximum(before, 0)], 0)
        negated = ((before >= clause_start[self.clause]) & (idx - before <= NEGATION_WINDOW) & (between == 0)
                   & (crossed == 0))
        intensified = np.r_[False, role[:-1] == 3][:t] & ~start
        eff = weight * np.where(negated, -1.0, 1.0) * np.where(intensified, lex.intensifier_weight, 1.0)
        flips = np.zeros(t, bool)
        for k in range(1, NEGATION_WINDOW + 1):
            flips[:-k] |= (weight[k:] != 0) & (self.clause[k:] == self.clause[:-k])
        # "stämmer inte": a negator with nothing to flip after it flips the word before it
        back = np.zeros(t, bool)
        back[:-1] = neg[1:] & ~flips[1:] & (weight[:-1] != 0) & ~start[1:]
        eff = np.where(back, -eff, eff)
        back_used = np.r_[False, back[:-1]][:t]
        alone = start & np.r_[start[1:], True]  # a one-word clause: "nej", "no" answer a question
        eff = eff + np.where(neg & ~flips & ~back_used & ~alone, NEGATOR_WEIGHT, 0.0)
        self.points = eff * factor[self.clause]

    def _phrases(self, weight, role, bits) -> None:
        """Apply two- to four-word stems: the phrase's value sits on its first word."""
        pipe = self.pipe
        for index, apply in ((pipe.sentiment, "weight"), (pipe.themes, "bits")):
            for words, value in sorted(index.phrases.items(), key=lambda p: len(p[0])):  # longer phrases win
                first = pipe.words.get(words[0])
                if first is None:
                    continue
                pos = np.flatnonzero(self.rows[: len(self.rows) - len(words) + 1] == first)
                for k, word in enumerate(words[1:], start=1):
                    if not len(pos):
                        break
                    nxt = pos + k
                    ok = self.comment[nxt] == self.comment[pos]
                    if k < len(words) - 1:
                        ok &= self.rows[nxt] == pipe.words.get(word, -1)
                    else:
                        ok &= pipe.matching_rows(index, word)[self.rows[nxt]]
                    pos = pos[ok]
                if not len(pos):
                    continue
                if apply == "weight":
                    weight[pos] = value
                    for k in range(1, len(words)):
                        weight[pos + k] = 0
                        role[pos + k] = 0
                    role[pos] = 0
                else:
                    bits[pos] |= 1 << value

    def comment_scores(self, n: int) -> np.ndarray:
        """Lexicon points per comment."""
        return np.bincount(self.comment, weights=self.points, minlength=n)

    def mentions(self, comment_score: np.ndarray) -> pd.DataFrame:
        """One row per (comment, theme): the theme's clauses' points, else the comment's."""
        clause_points = np.bincount(self.clause, weights=self.points)
        pos = np.flatnonzero(self.bits)
        if not len(pos):
            return _empty_mentions(theme_dtype="int64")
        k = len(self.pipe.taxonomy)
        has = (self.bits[pos, None] >> np.arange(k)) & 1
        p, theme = np.nonzero(has)
        frame = pd.DataFrame({"row": self.comment[pos[p]], "theme": theme, "clause": self.clause[pos[p]]})
        frame = frame.drop_duplicates()
        frame["points"] = clause_points[frame["clause"].to_numpy()]
        out = frame.groupby(["row", "theme"], as_index=False)["points"].sum()
        points = out["points"].to_numpy()
        points = np.where(points == 0, comment_score[out["row"].to_numpy()], points)
        label = np.where(points >= THRESHOLD, 2, np.where(points <= -THRESHOLD, 0, 1))
        return pd.DataFrame({"row": out["row"].to_numpy(), "theme": out["theme"].to_numpy(),
                             "sentiment": pd.array(np.array(SENTIMENTS, dtype=object)[label], dtype="str"),
                             "score": np.tanh(points / 2)})


def _empty_comments() -> pd.DataFrame:
    return pd.DataFrame({"sentiment": pd.array([], dtype="str"), "score": np.zeros(0),
                         "themes": pd.array([], dtype="str")})


def _empty_mentions(theme_dtype: str = "str") -> pd.DataFrame:
    return pd.DataFrame({"row": np.zeros(0, np.int64), "theme": pd.array([], dtype=theme_dtype),
                         "sentiment": pd.array([], dtype="str"), "score": np.zeros(0)})


# ---------------------------------------------------------------------------------------
# Cache
def _cache_key(raw: pa.Array, languages, taxonomy, lexicon) -> str:
    h = hashlib.sha256()
    for buf in pc.take(raw, pa.array(np.arange(len(raw)))).buffers():
        if buf is not None:
            h.update(buf)
    # sets are sorted, so the key is the same in every process (set order follows the hash seed)
    h.update(json.dumps([languages, [asdict(t) for t in taxonomy], asdict(lexicon)], sort_keys=True,
                        default=sorted).encode())
    here = Path(__file__).parent
    for module in ("pipeline.py", "pii.py", "lexicon.py", "language.py"):
        h.update((here / module).read_bytes())
    return h.hexdigest()[:32]


def _save(path: Path, analysis: CommentAnalysis) -> None:
    path.mkdir(parents=True, exist_ok=True)
    meta = {"language_shares": analysis.language_shares, "pii": analysis.pii}
    pq.write_table(pa.Table.from_pandas(analysis.mentions, preserve_index=False), path / "mentions.parquet")
    table = pa.Table.from_pandas(analysis.comments.reset_index(drop=True), preserve_index=False)
    table = table.replace_schema_metadata({b"cxlib": json.dumps(meta).encode()})
    tmp = path / "comments.parquet.tmp"
    pq.write_table(table, tmp)
    tmp.replace(path / "comments.parquet")  # written last: its presence marks a complete entry


def _load(path: Path, index: pd.Index, taxonomy) -> CommentAnalysis | None:
    """The cached analysis at ``path``; ``None`` when there is none or it cannot be read.

    An entry that is damaged (a truncated file, a foreign file in its place, rows that do not
    match the comments) is removed, so the caller recomputes and rewrites it.
    """
    if not (path / "comments.parquet").exists():
        return None
    try:
        table = pq.read_table(path / "comments.parquet")
        meta = json.loads(table.schema.metadata[b"cxlib"])
        comments = table.to_pandas()
        if len(comments) != len(index) or list(comments.columns) != list(_COMMENT_COLUMNS):
            raise ValueError("cached comments do not match")
        comments.index = index
        mentions = pq.read_table(path / "mentions.parquet").to_pandas()
        return CommentAnalysis(comments, mentions, taxonomy, meta["language_shares"], meta["pii"])
    except Exception:  # any damage (pyarrow, JSON, key errors): drop the entry and recompute
        shutil.rmtree(path, ignore_errors=True)
        return None
