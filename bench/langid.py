"""Language identification: curate's langid step, plain langdetect and py3langid side by side.

    python bench/langid.py ../shared/data/langid-dev.jsonl.gz ../shared/data/aeb-dev.jsonl.gz

Three sets, every detector on each, one process (one core), in this order, wall time per set:

- sentences: the {"id", "lang", "text"} file (lingua's test sentences, ~100 characters each);
- documents: the `expected` article bodies of an {"id", "html", "expected"} extraction file, labelled
  with the page's `<html lang>` (no attribute: English), corrected where the body is in another
  language (LABEL_FIXES, checked by hand);
- mixed: synthetic documents, each a document of that set (over 2,000 characters) preceded by a "header"
  of paragraphs from documents in other languages, `--header` times its length; labelled with the
  main document's language, the one with most characters.

Accuracy = share of texts whose answer (the part before a hyphen: zh-cn is zh) equals the label; an
error or "und" is wrong. Detectors: curate (the langid step, default config: langdetect seeded, on a
1,000-character sample in 3 spans); curate per-paragraph (--per-paragraph); curate with the py3langid
backend; langdetect 1.0.9 as a user would call it (DetectorFactory seeded 0, whole text: it reads the
first 10,000 characters); py3langid 0.4 `classify` (all its 97 languages). The determinism check runs
curate `--repeat` more times on every set, and once more on the sentences in two worker processes, and
says whether every (lang, lang_score) was the same.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from common import read_set, timed

from curate.document import Document
from curate.engines.local import LocalEngine
from curate.steps.langid import Langid, LangidConfig

Detector = Callable[[str], str]
Labelled = list[tuple[str, str]]  # (text, language)

_HTML_LANG = re.compile(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2,3})", re.I)
# aeb pages whose body is not in the language their <html lang> says (or that have none and are not English)
LABEL_FIXES = {
    "57b4dafd18cfd0531b69f81e87158648227c673ef159f8d8c87d34e34bdb21f2": "de",  # says en, body German
    "cc03ddb5ef7d5f1fdb8a87f5e6dfd058a2a70acedf2551655a898dc5c18eb79e": "pt",  # no lang, Portuguese
}


def curate_detector(config: LangidConfig) -> Detector:
    step = Langid(config)
    return lambda text: step.apply(Document(id="t", source="bench", text=text)).lang or "und"


def langdetect_detector() -> Detector:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)

    def run(text: str) -> str:
        detector = factory.create()
        detector.append(text)
        answer: str = detector.detect()
        return answer

    return run


def py3langid_detector() -> Detector | None:
    try:
        import py3langid
    except ImportError:
        return None
    py3langid.classify("warm up")  # loads the model outside the timed run, as langdetect's profiles are

    def run(text: str) -> str:
        lang: str = py3langid.classify(text)[0]
        return lang

    return run


def safe(detect: Detector) -> Detector:
    """A crash (langdetect raises on text without features) is the answer "und"."""
    def run(text: str) -> str:
        try:
            return detect(text).split("-")[0]
        except Exception:  # noqa: BLE001 - a benchmark must finish; the crash is the score
            return "und"
    return run


def sentences(path: Path) -> Labelled:
    return [(r["text"], r["lang"]) for r in read_set(path)]


def documents(path: Path) -> list[tuple[str, str, str]]:
    """(id, body, language) of every page of an extraction set."""
    out = []
    for record in read_set(path):
        match = _HTML_LANG.search(record["html"][:5000])
        lang = LABEL_FIXES.get(record["id"], match.group(1).lower() if match else "en")
        out.append((record["id"], record["expected"], lang))
    return sorted(out)


def mixed(docs: Sequence[tuple[str, str, str]], header: float) -> tuple[Labelled, list[float]]:
    """Each document of 2,000+ characters after a header from other-language documents, `header`
    times its length; and the true share of the main language (by paragraph characters)."""
    out: Labelled = []
    main_shares = []
    for i, (_, body, lang) in enumerate(docs):
        if len(body) < 2000:
            continue
        donors = [d for d in docs if d[2] != lang]
        paragraphs: list[str] = []
        for _, donor, _ in donors[i % len(donors) :] + donors[: i % len(donors)]:
            for paragraph in donor.split("\n\n"):
                if sum(map(len, paragraphs)) >= header * len(body):
                    break
                paragraphs.append(paragraph.strip())
        body_chars = sum(len(p.strip()) for p in body.split("\n\n"))
        out.append(("\n\n".join([*paragraphs, body]), lang))
        main_shares.append(body_chars / (body_chars + sum(map(len, paragraphs))))
    return out, main_shares


def score(texts: Labelled, answers: Sequence[str]) -> tuple[dict[str, float], float]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for (_, lang), answer in zip(texts, answers):
        total[lang] += 1
        right[lang] += answer == lang
    per_lang = {lang: right[lang] / total[lang] for lang in sorted(total)}
    return per_lang, sum(right.values()) / max(1, len(texts))


def run_set(name: str, texts: Labelled, detectors: list[tuple[str, Detector]]) -> dict[str, list[str]]:
    """Run every detector on the texts; print accuracy per language, overall and texts/s side by side."""
    answers: dict[str, list[str]] = {}
    speed: dict[str, float] = {}
    per_lang: dict[str, dict[str, float]] = {}
    overall: dict[str, float] = {}
    for label, detect in detectors:
        run = safe(detect)
        answers[label], seconds = timed(lambda: [run(text) for text, _ in texts])  # noqa: B023
        speed[label] = len(texts) / seconds
        per_lang[label], overall[label] = score(texts, answers[label])
    labels = [label for label, _ in detectors]
    print(f"\n{name}: {len(texts)} texts, mean {sum(len(t) for t, _ in texts) / len(texts):,.0f} characters")
    print(f"{'lang':8} {'n':>5} " + " ".join(f"{label:>14}" for label in labels))
    counts = Counter(lang for _, lang in texts)
    for lang in sorted(counts):
        print(f"{lang:8} {counts[lang]:5d} " + " ".join(f"{100 * per_lang[la][lang]:14.1f}" for la in labels))
    print(f"{'overall':8} {len(texts):5d} " + " ".join(f"{100 * overall[la]:14.2f}" for la in labels))
    print(f"{'texts/s':8} {'':5} " + " ".join(f"{speed[la]:14.1f}" for la in labels))
    if "curate" in speed and "langdetect" in speed:
        worse = [lang for lang in counts if per_lang["curate"][lang] < per_lang["langdetect"][lang]]
        print(f"curate vs langdetect: {speed['curate'] / speed['langdetect']:.1f}x the speed; "
              f"accuracy below langdetect's on: {', '.join(sorted(worse)) or 'no language'}")
    return answers


def tags(config: LangidConfig, texts: Sequence[str]) -> list[tuple[str | None, float | None]]:
    step = Langid(config)
    docs = (step.apply(Document(id=str(i), source="bench", text=t)) for i, t in enumerate(texts))
    return [(d.lang, d.lang_score) for d in docs]


def _steps(config: LangidConfig) -> list[Langid]:
    return [Langid(config)]


def pooled_tags(config: LangidConfig, texts: Sequence[str], workers: int) -> list[tuple[Any, Any]]:
    engine = LocalEngine(functools.partial(_steps, config), workers)
    docs = [Document(id=str(i), source="bench", text=t) for i, t in enumerate(texts)]
    return [(d.lang, d.lang_score) for d in engine.run(docs) if isinstance(d, Document)]


def check_determinism(sets: dict[str, list[str]], repeat: int) -> None:
    config = LangidConfig()
    results = defaultdict(set)
    for name, texts in sets.items():
        for _ in range(1 + repeat):
            results[name].add(tuple(tags(config, texts)))
    texts = next(iter(sets.values()))
    one, two = pooled_tags(config, texts, 1), pooled_tags(config, texts, 2)
    same = all(len(r) == 1 for r in results.values())
    print(f"\ndeterminism: {1 + repeat} runs per set, (lang, lang_score) identical: {'yes' if same else 'NO'}; "
          f"1 vs 2 worker processes on the {next(iter(sets))} identical: {'yes' if one == two else 'NO'}")


def share_error(texts: Labelled, truth: Sequence[float]) -> float:
    step = Langid(LangidConfig(per_paragraph=True))
    errors = []
    for (text, lang), share in zip(texts, truth):
        doc = step.apply(Document(id="m", source="bench", text=text))
        errors.append(abs(float(doc.meta.get("lang_shares", {}).get(lang, 0.0)) - share))
    return sum(errors) / len(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", type=Path, help="langid-dev.jsonl.gz ({id, lang, text})")
    parser.add_argument("documents", type=Path, help="aeb-dev.jsonl.gz ({id, html, expected})")
    parser.add_argument("--header", type=float, default=0.4,
                        help="mixed documents: header length as a share of the main document's")
    parser.add_argument("--repeat", type=int, default=4, help="extra curate runs for the determinism check")
    parser.add_argument("--sets", default="sentences,documents,mixed", help="which sets to run")
    args = parser.parse_args()
    detectors: list[tuple[str, Detector | None]] = [
        ("curate", curate_detector(LangidConfig())),
        ("curate/para", curate_detector(LangidConfig(per_paragraph=True))),
        ("curate/py3lid", curate_detector(LangidConfig(backend="py3langid"))
         if py3langid_detector() else None),
        ("langdetect", langdetect_detector()),
        ("py3langid", py3langid_detector()),
    ]
    for label, detect in detectors:
        if detect is None:
            print(f"{label}: not installed (pip install py3langid)", file=sys.stderr)
    chosen = [(label, detect) for label, detect in detectors if detect is not None]
    docs = documents(args.documents)
    mixed_texts, truth = mixed(docs, args.header)
    sets: dict[str, Labelled] = {
        "sentences": sentences(args.sentences),
        "documents": [(body, lang) for _, body, lang in docs],
        "mixed": mixed_texts,
    }
    wanted = args.sets.split(",")
    for name in wanted:
        sentence_set = name == "sentences"
        # per-paragraph on a one-paragraph sentence is the document mode again: not run twice
        run_set(name, sets[name], [(la, d) for la, d in chosen if not (sentence_set and la == "curate/para")])
    if "mixed" in wanted:
        print(f"mixed: curate --per-paragraph main-language share, mean absolute error "
              f"{share_error(mixed_texts, truth):.4f} (true main share {min(truth):.2f}-{max(truth):.2f})")
    if args.repeat:
        check_determinism({name: [t for t, _ in sets[name]] for name in wanted}, args.repeat)


if __name__ == "__main__":
    main()
