"""Features of each block of a page, for the learned content model (issue 19).

A block (extract/text) is judged by what it says (length, words, link, stop-word, punctuation, digit
and capital shares), where it sits (its element's tag, the tags and class/id words of its ancestors,
its depth and position, the share of the page text its containers hold), its neighbours (context made
BoilerNet and Web2Text beat single-block classifiers), and what the page is (link share, block count,
og:type and schema.org types, the URL's path words). Words are hashed into fixed buckets with CRC-32,
never Python's `hash()`, which is salted per process: the same page gives the same row everywhere.
The features see the blocks `Extract.page_blocks` builds, which are exactly the blocks the step scores.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from curate.steps.extract.text import Block
from curate.steps.stopwords import STOPWORDS

Matrix = npt.NDArray[np.float64]

_WORD: Final = re.compile(r"\w+")
_TOKEN: Final = re.compile(r"[a-z]+")
_PUNCT: Final = frozenset(".,;:!?…、。，！？；：")
_SENTENCE_END: Final = tuple(".!?…。！？\"”'»)")
_HEADINGS: Final = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_MEMBERSHIP: Final[tuple[tuple[str, frozenset[str]], ...]] = (
    ("heading", _HEADINGS),
    ("list", frozenset(["ul", "ol", "dl", "li", "dd", "dt", "menu"])),
    ("table", frozenset(["table", "tbody", "thead", "tr", "td", "th"])),
    ("code", frozenset(["pre", "code", "kbd", "samp"])),
    ("quote", frozenset(["blockquote", "q", "cite"])),
)
# The owner tags worth a column each; any other owner is "other".
_OWNER_TAGS: Final = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
                      "pre", "blockquote", "section", "article", "main", "body", "figure",
                      "figcaption", "header", "address", "details", "summary", "center")
_ANCESTOR_TAGS: Final = ("article", "main", "section", "header", "figure", "td", "li", "a", "span",
                         "form")
CLASS_BUCKETS: Final = 64
OG_BUCKETS: Final = 8
SCHEMA_BUCKETS: Final = 16
URL_BUCKETS: Final = 16
_CONTAINER_LEVELS: Final = 4  # the owner and three ancestors
# The neighbours whose core features a block also gets: name and offset.
_NEIGHBOURS: Final = (("prev", -1), ("next", 1), ("prev2", -2), ("next2", 2))
_PROSE_REGION: Final = 0.6  # the deepest element holding this share of the page's prose is its region
_CORE: Final = ("log_chars", "log_words", "link_density", "stop_density", "punct_share",
                "sentence_end", "digit_share", "capital_share", "commas_per_word", "log_lines",
                *(name for name, _ in _MEMBERSHIP))
_OG_TYPE: Final = re.compile(
    r"<meta[^>]+(?:property|name)=[\"']og:type[\"'][^>]*content=[\"']([^\"']+)"
    r"|<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*(?:property|name)=[\"']og:type[\"']", re.I)
_SCHEMA_TYPE: Final = re.compile(r"\"@type\"\s*:\s*\[?\s*\"([^\"]+)\"|itemtype=[\"']?https?://schema\.org/(\w+)",
                                 re.I)
_PAGE_SCAN: Final = 400_000  # characters of the page searched for og:type and schema.org types


def _names() -> tuple[str, ...]:
    block = (*_CORE, "log_depth", "position", "char_position",
             *(f"owner_{tag}" for tag in (*_OWNER_TAGS, "other")),
             *(f"under_{tag}" for tag in _ANCESTOR_TAGS),
             *(f"near_class_{i}" for i in range(CLASS_BUCKETS)),
             *(f"far_class_{i}" for i in range(CLASS_BUCKETS)),
             *(f"{kind}_{level}" for level in range(_CONTAINER_LEVELS)
               for kind in ("share", "links", "prose", "blocks")), "in_prose_region")
    context = (*(f"{side}_{name}" for side, _ in _NEIGHBOURS for name in _CORE),
               "prev_same_parent", "next_same_parent")
    page = ("page_link_share", "page_log_blocks", "page_log_chars", "page_has_language",
            "url_log_depth", "url_dated", *(f"og_{i}" for i in range(OG_BUCKETS)),
            *(f"schema_{i}" for i in range(SCHEMA_BUCKETS)), *(f"url_{i}" for i in range(URL_BUCKETS)))
    return (*block, *context, *page)


FEATURE_NAMES: Final = _names()
"""The columns of `block_features`, in order; a model records them and refuses other columns."""


def bucket(group: str, token: str, buckets: int) -> int:
    """A word's bucket: CRC-32 of "group:word", the same in every process (unlike `hash()`)."""
    return zlib.crc32(f"{group}:{token}".encode()) % buckets


def block_features(blocks: Sequence[Block], html: str, url: str | None = None) -> Matrix:
    """One row of `FEATURE_NAMES` per block (float64), for blocks from `Extract.page_blocks(html)`."""
    if not blocks:
        return np.zeros((0, len(FEATURE_NAMES)))
    words = [_WORD.findall(block.text.lower()) for block in blocks]
    stops = page_stopwords(words)
    core = np.array([_core(block, tokens, stops) for block, tokens in zip(blocks, words)])
    chains = [_chain(block.owner) for block in blocks]
    place = _placement(blocks, chains, _prose(core, stops is not None))
    context = _context(core, chains)
    page = np.tile(_page(blocks, html, url, stops is not None), (len(blocks), 1))
    return np.hstack([core, place, context, page])


def page_stopwords(words: Iterable[list[str]]) -> frozenset[str] | None:
    """The stop words of the language whose list covers most of the page's words (at least 8% of
    them, as extract/score decides), or None (Chinese, Korean, an unknown language)."""
    counts = Counter(word for tokens in words for word in tokens)
    total = sum(counts.values())
    hits = {lang: sum(counts[w] for w in stops if w in counts) for lang, stops in STOPWORDS.items()}
    lang = max(hits, key=hits.__getitem__, default=None)
    return STOPWORDS[lang] if lang is not None and hits[lang] >= 0.08 * total > 0 else None


def _core(block: Block, tokens: list[str], stops: frozenset[str] | None) -> list[float]:
    """What the block says: the features also given for its neighbours."""
    text, chars = block.text, max(1, block.chars)
    letters = sum(c.isalpha() for c in text)
    tags = {el.tag for el in (block.owner, *block.owner.iterancestors())}
    stop = sum(t in stops for t in tokens) / len(tokens) if stops is not None and tokens else 0.0
    return [math.log1p(block.chars), math.log1p(len(tokens)), block.link_chars / chars, stop,
            sum(c in _PUNCT for c in text) / chars, float(text.rstrip().endswith(_SENTENCE_END)),
            sum(c.isdigit() for c in text) / chars, sum(c.isupper() for c in text) / max(1, letters),
            (text.count(",") + text.count("，") + text.count("、")) / max(1, len(tokens)),
            math.log1p(text.count("\n") + 1),
            *(float(not tags.isdisjoint(members)) for _, members in _MEMBERSHIP)]


def _chain(owner: Any) -> list[Any]:
    """The owner and its ancestors, innermost first."""
    return [owner, *owner.iterancestors()]


def _prose(core: Matrix, has_language: bool) -> list[float]:
    """Each block's prose characters: its size when it reads as running text (few links, some
    length, stop words where the language is known, else a sentence end), else 0."""
    col = {name: i for i, name in enumerate(_CORE)}
    chars = np.expm1(core[:, col["log_chars"]])
    proselike = core[:, col["stop_density"] if has_language else col["sentence_end"]] >= (
        0.2 if has_language else 1.0)
    prose = (core[:, col["link_density"]] < 0.3) & (chars >= 60) & proselike
    return [float(c) for c in np.where(prose, chars, 0.0)]


def _sizes(blocks: Sequence[Block], chains: list[list[Any]], prose: list[float]) -> dict[Any, list[float]]:
    """Per element on any block's chain: [chars, link chars, prose chars, blocks, depth]."""
    sizes: dict[Any, list[float]] = {}
    for block, chain, good in zip(blocks, chains, prose):
        for level, el in enumerate(chain):
            size = sizes.setdefault(el, [0.0, 0.0, 0.0, 0.0, float(len(chain) - level)])
            size[0] += block.chars
            size[1] += block.link_chars
            size[2] += good
            size[3] += 1
    return sizes


def _region(sizes: dict[Any, list[float]], prose: float) -> Any:
    """The deepest element holding `_PROSE_REGION` of the page's prose (None without prose)."""
    held = [(size[4], i, el) for i, (el, size) in enumerate(sizes.items())
            if prose and size[2] >= _PROSE_REGION * prose]
    return max(held, key=lambda t: (t[0], -t[1]))[2] if held else None


def _placement(blocks: Sequence[Block], chains: list[list[Any]], prose: list[float]) -> Matrix:
    """Where each block sits: depth, position, owner tag, ancestor tags and class/id words; the
    shares of the page's text, prose and blocks (and the link share) under the owner and three
    ancestors; and whether it is inside the page's prose region."""
    sizes = _sizes(blocks, chains, prose)
    total, prose_total = max(1, sum(block.chars for block in blocks)), sum(prose)
    region = _region(sizes, prose_total)
    before, rows = 0, []
    for i, (block, chain) in enumerate(zip(blocks, chains)):
        owner = str(chain[0].tag)
        tags = {str(el.tag) for el in chain[1:]}
        row = [math.log1p(len(chain)), i / len(blocks), before / total,
               *(float(owner == tag) for tag in _OWNER_TAGS), float(owner not in _OWNER_TAGS),
               *(float(tag in tags) for tag in _ANCESTOR_TAGS),
               *_class_buckets(chain[:2], "near"), *_class_buckets(chain, "far")]
        for level in range(_CONTAINER_LEVELS):
            chars, links, good, count, _ = (sizes[chain[level]] if level < len(chain)
                                            else (total, 0, prose_total, len(blocks), 0))
            row += [chars / total, links / max(1, chars), good / max(1.0, prose_total), count / len(blocks)]
        rows.append([*row, float(region is not None and any(el is region for el in chain))])
        before += block.chars
    return np.array(rows)


def _class_buckets(elements: Iterable[Any], group: str) -> list[float]:
    """Which hashed buckets the class and id words of these elements fall in (0/1 per bucket)."""
    out = [0.0] * CLASS_BUCKETS
    for el in elements:
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        for token in _TOKEN.findall(names):
            out[bucket(group, token, CLASS_BUCKETS)] = 1.0
    return out


def _context(core: Matrix, chains: list[list[Any]]) -> Matrix:
    """The core features of the blocks one and two before and after (zeros past the page's
    edges), and whether the previous and next block share the block's parent element."""
    n, pad = len(core), np.zeros((2, core.shape[1]))
    padded = np.vstack([pad, core, pad])
    shifted = [padded[2 + offset:2 + offset + n] for _, offset in _NEIGHBOURS]
    parents = [chain[1] if len(chain) > 1 else chain[0] for chain in chains]
    same_prev = [0.0] + [float(a is b) for a, b in zip(parents, parents[1:])]
    same_next = [float(a is b) for a, b in zip(parents, parents[1:])] + [0.0]
    return np.hstack([*shifted, np.array([same_prev, same_next]).T])


def _page(blocks: Sequence[Block], html: str, url: str | None, has_language: bool) -> list[float]:
    """What the page is: its link share and size, og:type, schema.org types and URL path words."""
    chars = sum(block.chars for block in blocks)
    links = sum(block.link_chars for block in blocks)
    head = html[:_PAGE_SCAN]
    og = [a or b for a, b in _OG_TYPE.findall(head)]
    schema = [a or b for a, b in _SCHEMA_TYPE.findall(head)]
    path = urlsplit(url or "").path.lower()
    return [links / max(1, chars), math.log1p(len(blocks)), math.log1p(chars), float(has_language),
            math.log1p(path.strip("/").count("/") + bool(path.strip("/"))),
            float(bool(re.search(r"/(?:19|20)\d\d/", path))),
            *_words_in(og, "og", OG_BUCKETS), *_words_in(schema, "schema", SCHEMA_BUCKETS),
            *_words_in([path], "url", URL_BUCKETS)]


def _words_in(texts: Iterable[str], group: str, buckets: int) -> list[float]:
    out = [0.0] * buckets
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            out[bucket(group, token, buckets)] = 1.0
    return out
