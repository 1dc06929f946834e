"""page_furniture of curate/steps/strip/text as first written (every line's words and class before the
gate): the frozen reference the faster gate is checked against."""

from __future__ import annotations

from curate.steps.strip.text import (
    PageTextConfig,
)


def reference_page_furniture(lines: list[str], config: PageTextConfig,
                              removed: list[str | None]) -> list[int]:
    """page_furniture as first written (every line's words and class before the gate), kept here
    so the faster gate can be checked against it."""
    from curate.steps.strip.text import (
        _WALLS,
        _WORD,
        _best_segment,
        _between_bad,
        _classes,
        stop_density,
    )

    kept = [line if category is None else "" for line, category in zip(lines, removed, strict=True)]
    words_of = [[w.casefold() for w in _WORD.findall(line)] for line in kept]
    classes = _classes(kept, config, words_of)
    content_words = [words for words, kind in zip(words_of, classes, strict=True) if kind != "blank"]
    if len(content_words) < config.min_lines:
        return []
    if sum(len(words) < config.short_words for words in content_words) < config.min_bad_share * len(content_words):
        return []
    if stop_density([w for words in content_words for w in words]) < config.min_text_density:
        return []
    for index, category in enumerate(removed):
        if category is not None:
            classes[index] = "thread" if category == "comments" else "wall" if category in _WALLS else "blank"
    content = [i for i, c in enumerate(classes) if c not in ("blank", "wall", "thread")]
    start, end = _best_segment(lines, classes, config)
    if start > end:
        return []
    drop = [i for i in content if i < start or i > end]
    for position, index in enumerate(content):
        if start <= index <= end and classes[index] == "bad" and _between_bad(content, classes, position):
            drop.append(index)
    return sorted(drop)
