"""Texts the dedup tests share: a random article and the same article with one word changed."""

from __future__ import annotations

import random


def article(seed: int, words: int = 200) -> str:
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(2000)]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def one_word_changed(text: str) -> str:
    words = text.split()
    words[len(words) // 2] = "CHANGED"
    return " ".join(words)
