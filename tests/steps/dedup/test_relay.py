"""Fingerprints made in the workers and taken by dedup: the same decisions as dedup alone, used only
where the text is unchanged, nothing held in memory but a frame."""

from __future__ import annotations

import os
import random
from typing import ClassVar

import pytest

from curate.document import Document, Dropped, Edit, edited_or_dropped
from curate.engines.local import LocalEngine
from curate.pipeline import DocumentStep, Ledger, Step, run_steps
from curate.steps.dedup.fingerprint import DedupConfig, Fingerprint
from curate.steps.dedup.relay import FingerprintRelay
from curate.steps.dedup.step import Dedup
from curate.steps.strip.learn import LearnConfig, LearnRepeated
from curate.timing import Timings

VOCABULARY = [f"w{i}" for i in range(3000)]


def _same(one: Fingerprint | None, other: Fingerprint | None) -> bool:
    assert one is not None and other is not None
    return (one.key, one.words, one.lookup.tolist()) == (other.key, other.words, other.lookup.tolist()) and (
        one.signature is not None and other.signature is not None
        and one.signature.tolist() == other.signature.tolist())


def _text(rng: random.Random, words: int = 120) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def _crawl(documents: int = 300, seed: int = 3) -> list[Document]:
    """Pages of two sites with a template line, exact and near copies, and short pages."""
    rng = random.Random(seed)
    docs: list[Document] = []
    for n in range(documents):
        site = "a.example" if n % 2 else "b.example"
        roll = rng.random()
        if docs and roll < 0.15:
            body = docs[rng.randrange(len(docs))].text.split("\n", 1)[-1]  # an exact copy of a body
        elif docs and roll < 0.3:
            words = docs[rng.randrange(len(docs))].text.split("\n", 1)[-1].split()
            words[len(words) // 2] = "changed"  # a near copy
            body = " ".join(words)
        elif roll < 0.35:
            body = "Read more"  # short: exact matching only
        else:
            body = _text(rng)
        template = f"Subscribe to the {site} letter" if n % 3 else ""  # learning removes it
        docs.append(Document(id=f"d{n}", source="crawl.jsonl", url=f"https://{site}/{n}",
                             text=f"{template}\n{body}" if template else body))
    return docs


class Keep(DocumentStep):
    name: ClassVar[str] = "keep"

    def apply(self, doc: Document) -> Document | Dropped:
        return doc


class DropSome(DocumentStep):
    """Drops some documents in the workers: those never reach the relay."""

    name: ClassVar[str] = "drop"

    def apply(self, doc: Document) -> Document | Dropped:
        return Dropped(doc, "too_short") if int(doc.id[1:]) % 7 == 3 else doc


def _run(docs: list[Document], *, relay: FingerprintRelay | None, config: DedupConfig = DedupConfig(),
         learn: bool = True, timings: Timings | None = None) -> tuple[list[Document], Ledger]:
    """The kept documents and the ledger (what was dropped, why, with which detail) of a run."""
    engine = LocalEngine(lambda: [Keep(), DropSome()], workers=2, time_limit=30.0, timings=timings,
                         follow_up=relay)
    steps: list[Step] = [engine, *([LearnRepeated(LearnConfig())] if learn else []), Dedup(config, relay=relay)]
    ledger = Ledger()
    return list(run_steps(docs, steps, ledger)), ledger


@pytest.mark.parametrize("learn", [True, False])
@pytest.mark.parametrize("keep", ["first", "longest"])
def test_worker_fingerprints_give_the_same_corpus_as_dedup_alone(learn: bool, keep: str) -> None:
    docs, config = _crawl(), DedupConfig(keep=keep)
    relay = FingerprintRelay(config)
    timings = Timings()
    kept, ledger = _run(docs, relay=relay, config=config, learn=learn, timings=timings)
    kept_alone, ledger_alone = _run(docs, relay=None, config=config, learn=learn)
    assert kept == kept_alone
    assert ledger.records == ledger_alone.records  # every drop, with its reason and detail
    assert 0 < len(kept) < len(docs) * 0.9  # duplicates were dropped, the rest kept
    # The workers' fingerprints were used, except for the texts learning cut (every third page).
    assert relay.taken > 0
    if learn:
        assert relay.taken < len(kept)
    assert timings.workers["fingerprint"].documents > 0


def test_a_changed_text_is_fingerprinted_again_and_skipped_documents_are_passed_over() -> None:
    config = DedupConfig()
    relay = FingerprintRelay(config)
    docs = [Document(id=f"d{n}", source="s", text=_text(random.Random(n))) for n in range(5)]
    for doc in docs:
        relay.receive(doc, relay.compute(doc))
    assert _same(relay.take(docs[1]), relay.compute(docs[1])[1])  # d0 skipped: dropped on the way
    edit = Edit(0, 3, "", "drop_line", "learn.repeated")
    changed = edited_or_dropped(docs[3], [edit], "learn", "learn.repeated", "lines")
    assert isinstance(changed, Document)
    assert relay.take(changed) is None  # the text is not the one the worker saw
    assert relay.take(docs[4]) is not None
    assert relay.take(docs[4]) is None and relay.taken == 2  # nothing left
    relay.close()


def test_fingerprints_stream_through_a_file_larger_than_a_read() -> None:
    # Many documents, interleaved receive and take (learning off: dedup follows the engine closely)
    config = DedupConfig()
    relay = FingerprintRelay(config)
    docs = [Document(id=f"d{n}", source="s", text=_text(random.Random(n), 40)) for n in range(3000)]
    computed = [relay.compute(doc) for doc in docs]
    taken = []
    for n, (doc, value) in enumerate(zip(docs, computed, strict=True)):
        relay.receive(doc, value if n % 5 else None)  # every fifth not made by a worker
        if n % 3 == 2:
            for behind in docs[n - 2 : n + 1]:
                taken.append(relay.take(behind))
    assert [fp is None for fp in taken] == [n % 5 == 0 for n in range(len(taken))]
    assert all(_same(fp, value[1]) for fp, value in zip(taken, computed, strict=False) if fp is not None)
    assert relay._read_at > 1 << 20  # the frames crossed the 1 MiB read size
    relay.close()


@pytest.mark.parametrize("buffered", [False, True])
def test_a_relay_that_cannot_write_stops_relaying_and_dedup_does_the_work(buffered: bool) -> None:
    relay = FingerprintRelay(DedupConfig())
    docs = [Document(id=f"d{n}", source="s", text=_text(random.Random(n))) for n in range(3)]
    relay.receive(docs[0], relay.compute(docs[0]))
    assert relay._file is not None
    relay._file.close()
    read_end, write_end = os.pipe()
    os.close(read_end)  # writing now fails with an OSError, as on a full disk (at write or at flush)
    relay._file = os.fdopen(write_end, "wb", buffering=-1 if buffered else 0)
    relay.receive(docs[1], relay.compute(docs[1]))
    relay.receive(docs[2], relay.compute(docs[2]))
    assert [relay.take(doc) for doc in docs] == [None, None, None]
    assert relay._broken
    assert list(Dedup(DedupConfig(), relay=relay).run(docs)) == docs


@pytest.mark.parametrize("verify", [False, True])
def test_every_kind_of_fingerprint_comes_back_whole(verify: bool) -> None:
    # long and short texts (no signature), shingle hashes kept or not, an empty text, odd ids
    config = DedupConfig(verify_jaccard=verify)
    relay = FingerprintRelay(config)
    texts = [_text(random.Random(1), 300), "Read more", "", "ünï cödé 東京 " * 40]
    docs = [Document(id=f"dé\udcff{n}", source="s", text=text) for n, text in enumerate(texts)]
    made = [relay.compute(doc) for doc in docs]
    for doc, value in zip(docs, made, strict=True):
        relay.receive(doc, value)
    for doc, (_digest, fp) in zip(docs, made, strict=True):
        back = relay.take(doc)
        assert back is not None
        assert (back.key, back.words, back.lookup.tolist()) == (fp.key, fp.words, fp.lookup.tolist())
        for mine, theirs in ((back.signature, fp.signature), (back.hashes, fp.hashes)):
            assert (mine is None) == (theirs is None)
            assert mine is None or theirs is None or mine.tolist() == theirs.tolist()
    assert made[1][1].signature is None and (made[0][1].hashes is not None) == verify
    relay.close()
