"""The random numbers of langdetect's trials: the stream draws what the random module draws, and gives
draws back."""

from __future__ import annotations

import random

import pytest

from curate.steps.langid.backends.trials import _Stream


@pytest.mark.parametrize("seeded", [False, True])
@pytest.mark.parametrize("count", [1, 2, 3, 1000, 87_598])
def test_stream_draws_what_the_random_module_draws(count: int, seeded: bool) -> None:
    """Also from the per-process copy of a seed's first words (`_Stream.seeded`), twice: a stream
    that reads past them must leave the copy as it was for the next."""
    for _ in range(2 if seeded else 1):
        reference = random.Random(7)
        stream = _Stream.seeded(7, count) if seeded else _Stream(random.Random(7), count)
        for wanted in (40, 1, 5000, 40):  # 5,000 draws run past the first chunk of words
            assert stream.gauss() == reference.gauss(0.0, 1.0)
            draws, _ = stream.draws(wanted)
            assert draws.tolist() == [reference.randrange(count) for _ in range(wanted)]
            assert stream.random() == reference.random()


def test_stream_rewinds_to_the_end_of_a_draw() -> None:
    reference, stream = random.Random(3), _Stream(random.Random(3), 500)
    _, ends = stream.draws(30)
    stream.rewind(int(ends[9]))  # keep 10 draws, give back 20
    [reference.randrange(500) for _ in range(10)]
    assert stream.random() == reference.random()
    draws, _ = stream.draws(20)  # and draws again from there
    assert draws.tolist() == [reference.randrange(500) for _ in range(20)]
