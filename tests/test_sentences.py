"""Sentence splitting: abbreviations, initials, decimals, quotes, line breaks, offsets and speed."""

from __future__ import annotations

import timeit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khaldun.sentences import split_sentences

# Self-written article paragraphs (no outlet's text), with the traps the splitter must handle.
PARAGRAPHS = [
    (
        "KADUGLI, Sudan, March 3 - Gunmen attacked a market in the town of Tawila at about 7:30 a.m. on Tuesday, "
        "killing at least 11 people, a local official said. The official, Dr. Amna Idris, said 4.5 tonnes of grain "
        "were burned."
    ),
    (
        'Lt. Col. J. R. Okafor told reporters the convoy "came under fire twice." He did not say who fired. '
        "Residents said the U.S.-made vehicles belonged to the army's No. 3 brigade."
    ),
    (
        "The militia, which calls itself the Sons of the Valley, said in a statement that it had shelled the base "
        "with 107 mm rockets. The claim could not be verified. Was it the first such attack? Not quite: a similar "
        "raid hit the same post in Feb. 2021, according to the U.N. mission."
    ),
]
ARTICLE = "\n\n".join(PARAGRAPHS)


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Mr. Haddad arrived. He left.", ["Mr. Haddad arrived.", "He left."]),
        ("Col. Wayne Smith and Gen. Ali spoke.", ["Col. Wayne Smith and Gen. Ali spoke."]),
        ("Dr. Amna Idris said so.", ["Dr. Amna Idris said so."]),
        ("George W. Bush visited. He spoke.", ["George W. Bush visited.", "He spoke."]),
        ("J. R. Okafor spoke.", ["J. R. Okafor spoke."]),
        ("It started at 7 a.m. on Monday.", ["It started at 7 a.m. on Monday."]),
        ("It started at 7 a.m. The police came.", ["It started at 7 a.m.", "The police came."]),
        ("Fire at 9:30 p.m. (1830 GMT) hit it.", ["Fire at 9:30 p.m. (1830 GMT) hit it."]),
        ("A U.S. drone struck. It killed two.", ["A U.S. drone struck.", "It killed two."]),
        (
            "The talks were in the U.S. The next round is in May.",
            ["The talks were in the U.S.", "The next round is in May."],
        ),
        ("Room No. 3 was hit.", ["Room No. 3 was hit."]),
        ("It happened on Feb. 16 at dawn.", ["It happened on Feb. 16 at dawn."]),
        ("They fired 107 mm rockets. Two hit.", ["They fired 107 mm rockets.", "Two hit."]),
        ("About 3.5 km away. Nothing else.", ["About 3.5 km away.", "Nothing else."]),
        ('He said "we will return." Then he left.', ['He said "we will return."', "Then he left."]),
        ("\u201cWe will return.\u201d Then he left.", ["\u201cWe will return.\u201d", "Then he left."]),
        ('"Why?" she asked.', ['"Why?" she asked.']),
        ("Who fired? Nobody knows!", ["Who fired?", "Nobody knows!"]),
        ("Wait... Then it exploded.", ["Wait...", "Then it exploded."]),
        ("(It was late.) The rest fled.", ["(It was late.)", "The rest fled."]),
        (
            "Headline without a stop\nFirst line. Second line.",
            ["Headline without a stop", "First line.", "Second line."],
        ),
        ("A line\r\nanother line", ["A line", "another line"]),
        ("  padded sentence.   \n\n\n  ", ["padded sentence."]),
        ("the lower case start. another one", ["the lower case start. another one"]),
        ("", []),
        (" \n\t ", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_article() -> None:
    assert _sentences(ARTICLE) == [
        (
            "KADUGLI, Sudan, March 3 - Gunmen attacked a market in the town of Tawila at about 7:30 a.m. on Tuesday, "
            "killing at least 11 people, a local official said."
        ),
        "The official, Dr. Amna Idris, said 4.5 tonnes of grain were burned.",
        'Lt. Col. J. R. Okafor told reporters the convoy "came under fire twice."',
        "He did not say who fired.",
        "Residents said the U.S.-made vehicles belonged to the army's No. 3 brigade.",
        (
            "The militia, which calls itself the Sons of the Valley, said in a statement that it had shelled the base "
            "with 107 mm rockets."
        ),
        "The claim could not be verified.",
        "Was it the first such attack?",
        "Not quite: a similar raid hit the same post in Feb. 2021, according to the U.N. mission.",
    ]


_PIECES = [*"ab AB.!?\"'\u201c\u201d()\n\r\t3\u2026", "Mr.", "U.S.", " a.m. ", "No. ", " J. "]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join) | st.text()


@given(_TEXT)
def test_offsets(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        piece = text[start:end]
        assert previous_end <= start < end <= len(text)
        assert piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece  # a line break always ends a sentence
        previous_end = end
    # nothing but whitespace is left out
    assert "".join("".join(text[s:e].split()) for s, e in spans) == "".join(text.split())


SPLIT_BUDGET_MS = (
    0.3  # the brief's budget for a 5,000-character article; measured 0.10 ms on an idle core (2026-11)
)
LOAD_SLACK = (
    3  # shared and CI machines under load ran the same code 2-4 times slower: fail only on a real regression
)


def test_speed() -> None:
    text = ((ARTICLE + "\n\n") * (5000 // len(ARTICLE) + 1))[:5000]
    runs = 10
    best = min(timeit.repeat(lambda: split_sentences(text), number=runs, repeat=20)) / runs * 1000
    assert best < SPLIT_BUDGET_MS * LOAD_SLACK, (
        f"{best:.3f} ms for 5,000 characters (budget {SPLIT_BUDGET_MS} ms)"
    )
