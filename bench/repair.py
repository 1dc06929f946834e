"""Repair: how much damage comes back exactly, and how little correct text is touched.

    python bench/repair.py ../shared/data                 (from the repo root)
    cd bench && ../.venv/bin/python repair.py ../../shared/data

Clean prose: the `expected` bodies of aeb-dev (72 articles, language from langdetect) and the sentences
of langid-dev (51 languages, 90 each). The benchmark writes its own damage, seeded, one corruption per
copy at a known place, each with the exact text a repair must give back:

| kind | damage | restored exactly when the output is |
|---|---|---|
| mojibake | a word (or a whole sentence) with non-ASCII letters as UTF-8 read as cp1252 or latin-1 | the original |
| entity | `&amp;`, `&#8217;`, `&rsquo;`, `&eacute;`, `&#233;`, `&quot;`, `&nbsp;` (runs) for the character | the original |
| invisible | a zero-width space, soft hyphen, word joiner, BOM, bidi control, C0/C1 control inserted | the original |
| fullwidth | an ASCII word in non-CJK text written in full-width forms (`Ｔｒｕｍｐ`) | the original |
| glued_words | the space between two words removed (`crisis caused` → `crisiscaused`) | the original |
| glued_sentence | the full stop and space between two sentences removed (`Ukraine. The` → `UkraineThe`) | the original (`. ` back) |
| glued_paragraph | the blank line after a paragraph ending in punctuation removed (`end.\\n\\nNext` → `end.Next`) | `end. Next`: the break comes back as a sentence break, by design (repair cannot know it was a paragraph); the original `\\n\\n` also counts |
| missing_space | the space after a comma or full stop between words removed (`can, due` → `can,due`) | the original |
| markdown_link | 1-3 words wrapped as `[words](https://…)` or `[words](#)` | the original |
| markdown_image | `![alt](https://…/photo.jpg)` inserted after a word | the original |
| html_tag | words wrapped in `<b>…</b>`, `<a href="…">…</a>`, `<span class="…">…</span>`, or `<br/>` inserted | the original |
| repeated_punct | a comma or semicolon doubled (`,,`, `;;`); not `..`, which the originals use as an ellipsis | the original |
| hyphenation | a lowercase word of 7+ letters broken across lines (`infra-\\nstructure`) | the original |
| whitespace | trailing spaces, CRLF/CR line ends, a run of blank lines (aeb only: articles have lines) | the original |

Restored means `f(corrupted) == f(accepted)` for an accepted form: what the repair does elsewhere in the
copy cancels out, so only the damaged place is judged (changes elsewhere are counted below).
Glued kinds skip languages written without spaces (zh, ja, th); their pooled figure is followed by its
parts: the languages where words without a case change are split, the other languages with a wordfreq
list (cased scripts, then uncased ones), and those without. False repairs: each original, uncorrupted, through the same repair; words
that differ (a word diff of `str.split()`) per 10,000 words, per language. A changed word whose old
form held damage the issue names (C1 control, soft hyphen, zero-width space, word joiner, bidi control,
BOM, an HTML entity, a mojibake sequence, a doubled comma) is real damage in the source: the table shows
the count net of those, with the raw count in brackets. Glued words and missing spaces that are real
in the source ("Colorado,Washington", "conredes") cannot be told apart automatically: they count as
false unless the word is in `repair_source_damage.tsv`, a list audited by hand (each word read in its
sentence); the table shows how many words that list accounts for.
Hyphenated compounds: each one in the clean prose ("record-breaking") put at a line end, and the share
a repair joins ("recordbreaking"), and of those, joined into a form that is no frequent word (damage).
ftfy.fix_text with its default settings is the baseline, judged the same way.
"""

from __future__ import annotations

import argparse
import difflib
import html.entities
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ftfy
import langdetect
import regex as re
import wordfreq
from common import read_set

from curate.document import Document
from curate.steps.repair import Repair, RepairConfig

Fix = Callable[[str], str]
Corruptor = Callable[[str, random.Random], "Damage | None"]

NO_SPACES = frozenset({"zh", "ja", "th"})
WORDFREQ = {"no": "nb", "hr": "sh", "tl": "fil"}
SOURCE_DAMAGE = re.compile("[\x80-\x9f\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
                           "|&#?[0-9A-Za-z]+;|ďż˝|[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]|,,")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
LETTER = r"\p{L}\p{M}*"
PAGE_BYTES = 6000
AUDITED = Path(__file__).with_name("repair_source_damage.tsv")
# A hyphenated compound between letters, its right part lowercase ("record-breaking", "MWh-ként").
COMPOUND = re.compile(r"(?<![\p{L}-])(\p{L}+)-(\p{Ll}+)(?![\p{L}-])")


def _audited_damage() -> frozenset[tuple[str, str]]:
    """(language key, source word) pairs read by hand and found damaged in the source."""
    rows = (line.split("\t") for line in AUDITED.read_text(encoding="utf-8").splitlines())
    return frozenset((row[0], row[1]) for row in rows if len(row) >= 2 and not row[0].startswith("#"))


@dataclass(frozen=True)
class Unit:
    """One piece of clean prose: an aeb article or a langid sentence (or two)."""

    source: str
    lang: str
    text: str


@dataclass(frozen=True)
class Damage:
    corrupted: str
    accepted: tuple[str, ...]


# corruptions: each picks one random eligible place, or returns None when the unit has none


def _pick(pattern: str, text: str, rng: random.Random) -> re.Match[str] | None:
    matches = list(re.finditer(pattern, text))
    return rng.choice(matches) if matches else None


def _swap(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def mojibake(text: str, rng: random.Random) -> Damage | None:
    codec = rng.choice(["sloppy-windows-1252", "latin-1"])
    if rng.random() < 0.3:  # a whole line, as when a page's charset was wrong
        lines = [m for m in re.finditer(r"[^\n]+", text) if not m.group().isascii()]
        match = rng.choice(lines) if lines else None
    else:
        match = _pick(r"\w*[^\x00-\x7f\s]\w*", text, rng)
    if match is None or not re.search(r"[^\x00-\x7f]", match.group()):
        return None
    broken = match.group().encode("utf-8").decode(codec)
    return Damage(_swap(text, *match.span(), broken), (text,))


def _entity_for(char: str, rng: random.Random) -> str | None:
    if char == " ":
        return rng.choice(["&nbsp;", "&nbsp;&nbsp;", "&#160;"])
    named = html.entities.codepoint2name.get(ord(char))
    options = [f"&#{ord(char)};"] + ([f"&{named};"] if named else [])
    return rng.choice(options)


def entity(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"[&\"’‘“”—–«»]|(?<=\w) (?=\w)|[^\x00-\x7f\s]", text, rng)
    if match is None:
        return None
    new = _entity_for(match.group(), rng)
    return None if new is None else Damage(_swap(text, *match.span(), new), (text,))


INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u202a", "\u202c", "\u202e", "\u2066", "\u2069",
             "\x01", "\x07", "\x1b", "\x7f", "\x81", "\x9d"]


def invisible(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"\w(?=\w)|\w(?= )", text, rng)
    if match is None:
        return None
    return Damage(_swap(text, match.end(), match.end(), rng.choice(INVISIBLE)), (text,))


def fullwidth(text: str, rng: random.Random) -> Damage | None:
    if CJK.search(text):
        return None  # in CJK text full-width Latin is typography, not damage
    match = _pick(r"\b[A-Za-z0-9]{2,}\b", text, rng)
    if match is None:
        return None
    wide = "".join(chr(ord(c) + 0xFEE0) for c in match.group())
    return Damage(_swap(text, *match.span(), wide), (text,))


def glued_words(text: str, rng: random.Random) -> Damage | None:
    match = _pick(rf"(?<={LETTER}) (?={LETTER})", text, rng)
    return None if match is None else Damage(_swap(text, *match.span(), ""), (text,))


def glued_sentence(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"(?<=[a-zà-ÿа-я])\. (?=[A-ZÀ-ÞА-Я][a-zà-ÿа-я])", text, rng)
    return None if match is None else Damage(_swap(text, *match.span(), ""), (text,))


def glued_paragraph(text: str, rng: random.Random) -> Damage | None:
    match = _pick(rf"(?<={LETTER}[.!?])\n\n(?=[A-ZÀ-ÞА-Я])", text, rng)
    if match is None:
        return None
    return Damage(_swap(text, *match.span(), ""), (text, _swap(text, *match.span(), " ")))


def missing_space(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"(?<=[^\W\d_]{2}), (?=[^\W\d_]{2})|(?<=[a-zà-ÿа-я]{2})\. (?=[A-ZÀ-ÞА-Я][a-zà-ÿа-я])",
                  text, rng)
    return None if match is None else Damage(_swap(text, match.start() + 1, match.end(), ""), (text,))


def markdown_link(text: str, rng: random.Random) -> Damage | None:
    match = _pick(rf"\b{LETTER}+(?: {LETTER}+){{0,2}}\b", text, rng)
    if match is None:
        return None
    target = rng.choice(["https://example.com/news/2024/story.html", "#", "/topics/world", "#section-2"])
    return Damage(_swap(text, *match.span(), f"[{match.group()}]({target})"), (text,))


def markdown_image(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"\w(?= )", text, rng)
    if match is None:
        return None
    image = rng.choice(["![photo](https://example.com/img/a.jpg)", "![](/media/b.png)",
                        "![Residents queue for water](https://cdn.example.org/p/c.webp)"])
    return Damage(_swap(text, match.end(), match.end(), " " + image), (text,))


def html_tag(text: str, rng: random.Random) -> Damage | None:
    match = _pick(rf"\b{LETTER}+(?: {LETTER}+){{0,2}}\b", text, rng)
    if match is None:
        return None
    words = match.group()
    new = rng.choice([f"<b>{words}</b>", f'<a href="https://example.com/x">{words}</a>',
                      f'<span class="highlight">{words}</span>', f"{words} <br/>", f"<em>{words}</em>"])
    return Damage(_swap(text, *match.span(), new), (text,))


def repeated_punct(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"(?<=[^\W\d_]{2})[,;](?= )", text, rng)
    return None if match is None else Damage(_swap(text, *match.span(), match.group() * 2), (text,))


def hyphenation(text: str, rng: random.Random) -> Damage | None:
    match = _pick(r"(?<![\w-])[^\W\d_A-Z]{7,}(?![\w-])", text, rng)
    if match is None or not match.group().islower():
        return None
    cut = match.start() + rng.randint(3, len(match.group()) - 3)
    return Damage(_swap(text, cut, cut, "-\n"), (text,))


def whitespace(text: str, rng: random.Random) -> Damage | None:
    breaks = list(re.finditer(r"\n\n", text))
    if not breaks:
        return None
    match = rng.choice(breaks)
    new = rng.choice(["  \n\n", "\r\n\r\n", "\n\n\n\n", "\n \n\t\n", "\r\r"])
    return Damage(_swap(text, *match.span(), new), (text,))


KINDS: dict[str, Corruptor] = {
    "mojibake": mojibake, "entity": entity, "invisible": invisible, "fullwidth": fullwidth,
    "glued_words": glued_words, "glued_sentence": glued_sentence, "glued_paragraph": glued_paragraph,
    "missing_space": missing_space, "markdown_link": markdown_link, "markdown_image": markdown_image,
    "html_tag": html_tag, "repeated_punct": repeated_punct, "hyphenation": hyphenation,
    "whitespace": whitespace,
}
GLUE_KINDS = frozenset({"glued_words", "glued_sentence", "glued_paragraph", "missing_space"})
TARGETS = {"mojibake": 98, "entity": 98, "glued_words": 90, "glued_sentence": 90, "missing_space": 95}


# data


def load_units(data: Path) -> tuple[list[Unit], list[Unit]]:
    """(single units for every kind and the false-repair count, paired langid sentences for the
    sentence-boundary kinds: a langid line is one sentence, so its boundaries come from pairs)."""
    langdetect.DetectorFactory.seed = 0
    units = [Unit("aeb", langdetect.detect(r["expected"]), r["expected"])
             for r in read_set(data / "aeb-dev.jsonl.gz")]
    by_lang: dict[str, list[str]] = defaultdict(list)
    for record in read_set(data / "langid-dev.jsonl.gz"):
        units.append(Unit("langid", record["lang"], record["text"]))
        by_lang[record["lang"]].append(record["text"])
    pairs = [Unit("langid", lang, f"{a} {b}") for lang, texts in by_lang.items()
             for a, b in zip(texts[::2], texts[1::2])]
    return units, pairs


def damages(units: list[Unit], pairs: list[Unit], kind: str, seed: int,
            per_article: int) -> Iterator[tuple[Unit, Damage]]:
    rng = random.Random(f"{seed}-{kind}")
    corrupt = KINDS[kind]
    pool = units + (pairs if kind in ("glued_sentence", "missing_space") else [])
    for unit in pool:
        if kind in GLUE_KINDS and unit.lang in NO_SPACES:
            continue
        for _ in range(per_article if unit.source == "aeb" else 1):
            damage = corrupt(unit.text, rng)
            if damage is not None:
                yield unit, damage


# scoring


def changed_words(before: str, after: str, audited: frozenset[str] = frozenset()) -> tuple[int, int, int]:
    """(changed words, of which the old word held a damage character, of which the old word is
    in the audited list of source damage) by a word diff."""
    old, new = before.split(), after.split()
    changed = source = listed = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            n = max(i2 - i1, j2 - j1)
            changed += n
            if any(SOURCE_DAMAGE.search(word) for word in old[i1:i2]):
                source += n
            elif old[i1:i2] and all(word in audited for word in old[i1:i2]):
                source += n
                listed += n
    return changed, source, listed


GROUPS = {"plain": f"plain-split languages ({', '.join(RepairConfig().plain_split_langs)})",
          "cased": "other Latin/Greek/Cyrillic languages with a wordfreq list",
          "uncased": "other scripts with a wordfreq list (ar fa he hi bn ta ur; ko has no usable list)",
          "none": "no wordfreq list (af cy et gu mr pa so sq sw te)"}
UNCASED = frozenset({"ar", "fa", "he", "hi", "bn", "ta", "ur", "ko"})


def language_group(lang: str) -> str:
    code = WORDFREQ.get(lang, lang)
    if code in RepairConfig().plain_split_langs:
        return "plain"
    if code not in wordfreq.available_languages():
        return "none"
    return "uncased" if lang in UNCASED else "cased"


def restored_table(units: list[Unit], pairs: list[Unit], fixes: dict[str, Fix], seed: int,
                   per_article: int) -> None:
    names = list(fixes)
    print("\n## Restored exactly (share of corruptions)\n")
    print("| kind | n | " + " | ".join(names) + " | target |")
    print("|---|---:|" + "---:|" * len(names) + "---:|")
    failures: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for kind in KINDS:
        rows: dict[str, list[bool]] = defaultdict(list)  # group -> per-fix outcome of each damage
        for unit, damage in damages(units, pairs, kind, seed, per_article):
            group = "all" if kind not in GLUE_KINDS else language_group(unit.lang)
            for name, fix in fixes.items():
                out = fix(damage.corrupted)
                wanted = [fix(a) for a in damage.accepted]
                ok = out in wanted
                rows[f"{group}|{name}"].append(ok)
                if not ok and name == names[0]:
                    failures[kind].append((unit.lang, wanted[0], out))
        if kind in GLUE_KINDS:  # the pooled figure over every language with spaces, then its parts
            for name in names:
                rows[f"all|{name}"] = [ok for g in GROUPS for ok in rows.get(f"{g}|{name}", [])]
        for group in ("all", *GROUPS):
            results = [rows.get(f"{group}|{name}", []) for name in names]
            if not results[0] or (group != "all" and kind not in GLUE_KINDS):
                continue
            label = kind if group == "all" else f"… {GROUPS[group]}"
            cells = " | ".join(f"{100 * sum(r) / len(r):.1f}" for r in results)
            target = TARGETS.get(kind, "") if group == "all" else ""
            print(f"| {label} | {len(results[0])} | {cells} | {target} |")
    _show_failures(failures)


def _show_failures(failures: dict[str, list[tuple[str, str, str]]], limit: int = 8) -> None:
    print("\nSample misses of the first column (wanted → output, around the first difference):",
          file=sys.stderr)
    for kind, misses in failures.items():
        for lang, wanted, out in misses[:limit]:
            at = next((i for i, (a, b) in enumerate(zip(wanted, out)) if a != b), min(len(wanted), len(out)))
            print(f"  {kind} [{lang}] {wanted[max(0, at - 40):at + 40]!r} → {out[max(0, at - 40):at + 40]!r}",
                  file=sys.stderr)


def false_repair_table(units: list[Unit], fixes: dict[str, Fix], show: int) -> None:
    words: Counter[str] = Counter()
    changed: dict[str, Counter[str]] = {name: Counter() for name in fixes}
    source: dict[str, Counter[str]] = {name: Counter() for name in fixes}
    listed: dict[str, Counter[str]] = {name: Counter() for name in fixes}
    examples: list[str] = []
    audited = _audited_damage()
    for unit in units:
        key = f"{unit.lang}{'*' if unit.source == 'aeb' else ''}"
        words[key] += len(unit.text.split())
        known = frozenset(word for lang, word in audited if lang == key)
        for name, fix in fixes.items():
            out = fix(unit.text)
            n, s, a = changed_words(unit.text, out, known)
            changed[name][key] += n
            source[name][key] += s
            listed[name][key] += a
            if name == next(iter(fixes)) and n > s and len(examples) < show:
                examples.append(_first_change(unit, out))
    names = list(fixes)
    print("\n## False repairs: changed words per 10,000 words of clean text (net of source damage; "
          "raw in brackets)\n")
    print("lang* = aeb articles (language by langdetect); other rows are the langid sentences.\n")
    print("| lang | words | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for key in sorted(words):
        cells = []
        for name in names:
            raw, net = changed[name][key], changed[name][key] - source[name][key]
            cells.append(f"{1e4 * net / words[key]:.1f} ({1e4 * raw / words[key]:.1f})")
        print(f"| {key} | {words[key]} | " + " | ".join(cells) + " |")
    total = sum(words.values())
    cells = [f"{1e4 * (sum(changed[n].values()) - sum(source[n].values())) / total:.2f} "
             f"({1e4 * sum(changed[n].values()) / total:.2f})" for n in names]
    print(f"| all | {total} | " + " | ".join(cells) + " |")
    print("\nchanged words the hand-audited list of source damage accounts for (in the net figures): "
          + ", ".join(f"{n} {sum(listed[n].values())}" for n in names))
    worst = max((1e4 * (changed[names[0]][k] - source[names[0]][k]) / words[k], k) for k in words)
    print(f"\nworst language for {names[0]}: {worst[1]} at {worst[0]:.2f} per 10k words (target <= 1)")
    for example in examples:
        print("  false repair:", example, file=sys.stderr)


def compound_table(units: list[Unit], fixes: dict[str, Fix]) -> None:
    """The other side of joining words broken across lines: each hyphenated compound of the clean
    prose ("record-breaking") put at a line end ("record-\\nbreaking"). Joining it ("recordbreaking")
    damages correct text, unless the joined form is a frequent word of the language (Zipf >= 3:
    "start-\\nup" → "startup", either spelling is right)."""
    cases = [(unit, _swap(unit.text, m.end(1), m.end(1) + 1, "-\n"), m.group(1) + m.group(2))
             for unit in units for m in COMPOUND.finditer(unit.text)]
    print("\n## Hyphenated compounds at a line end: joined (%)\n")
    print("| fix | compounds | joined | of which into a rare form (damage) |")
    print("|---|---:|---:|---:|")
    for name, fix in fixes.items():
        joined = damaged = 0
        for unit, text, word in cases:
            if re.search(rf"(?<!\p{{L}}){re.escape(word)}(?!\p{{L}})", fix(text)):
                joined += 1
                code = WORDFREQ.get(unit.lang, unit.lang)
                known = code in wordfreq.available_languages() and wordfreq.zipf_frequency(word, code) >= 3
                damaged += not known
        print(f"| {name} | {len(cases)} | {100 * joined / len(cases):.1f} | {100 * damaged / len(cases):.1f} |")


def _first_change(unit: Unit, out: str) -> str:
    matcher = difflib.SequenceMatcher(None, unit.text, out, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"[{unit.lang}] {unit.text[max(0, i1 - 30):i2 + 30]!r} → {out[max(0, j1 - 30):j2 + 30]!r}"
    return ""


def timing(units: list[Unit], fix: Fix) -> None:
    articles = [u.text for u in units if u.source == "aeb"]
    size = sum(len(a.encode("utf-8")) for a in articles)
    fix(articles[0])  # warm the word lists
    started = time.perf_counter()
    for text in articles:
        fix(text)
    seconds = time.perf_counter() - started
    print(f"\nspeed: {1000 * seconds / len(articles):.2f} ms per article (mean {size / len(articles):.0f} bytes), "
          f"{1000 * seconds * PAGE_BYTES / size:.2f} ms per {PAGE_BYTES // 1000} KB of text")


def damage_arguments(description: str) -> argparse.ArgumentParser:
    """The options that choose the damaged prose (shared with bench/repair_ceiling.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", type=Path, help="the shared data folder (aeb-dev, langid-dev)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-article", type=int, default=5, help="corruptions per aeb article and kind")
    return parser


def main() -> None:
    parser = damage_arguments(__doc__.splitlines()[0])
    parser.add_argument("--no-baseline", action="store_true", help="skip ftfy with default settings")
    parser.add_argument("--show", type=int, default=25, help="false repairs to print on stderr")
    args = parser.parse_args()
    units, pairs = load_units(args.data)
    repair = Repair(RepairConfig())

    def curate(text: str) -> str:
        return repair.apply(Document(id="bench", source="bench", text=text)).text

    fixes: dict[str, Fix] = {"curate repair": curate}
    if not args.no_baseline:
        fixes["ftfy defaults"] = ftfy.fix_text
    print(f"{len(units)} units ({sum(u.source == 'aeb' for u in units)} aeb articles), seed {args.seed}")
    restored_table(units, pairs, fixes, args.seed, args.per_article)
    false_repair_table(units, fixes, args.show)
    compound_table(units, fixes)
    timing(units, curate)


if __name__ == "__main__":
    main()
