"""Framing: loaded-language flags, reporting/opinion sentences, scores, outlet profiles, editable lexicons."""

from __future__ import annotations

import json
import math
import re
import shutil
import timeit
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khaldun.framing import SCORE_SCALE, Flag, Sentence, frame_text, load_lexicon, outlet_profile

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_755a663fb4d2fdcb.txt"
SEED_MIN_SCORE = 0.5  # the seed page scores 0.70; the dev set's wire pages score 0.0
PACKAGED = resources.files("khaldun").joinpath("data/framing")


def _flags(text: str) -> list[tuple[str, str]]:
    return [(f["category"], f["text"]) for f in frame_text(text)["flags"]]


def _kinds(text: str) -> list[str]:
    return [s["kind"] for s in frame_text(text)["sentences"]]


# --- flags ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "flagged"),
    [
        ("The rebels are vermin and nothing else.", "dehumanising", "vermin"),
        ("Those cockroaches hid in the orchards.", "dehumanising", "cockroaches"),
        ("The generals sent them to die as cannon fodder.", "dehumanising", "cannon fodder"),
        ("Government thugs beat the students outside the court.", "insult", "thugs"),
        ("The lackeys of the embassy fled the city.", "insult", "lackeys"),
        ("Takfiri gangs shelled the market.", "sectarian_label", "Takfiri"),
        ("The army fought the Safavid militias.", "sectarian_label", "Safavid"),
        ("They are the world's dirtiest criminals.", "superlative", "world's dirtiest"),
        ("It was the most barbaric act of the war.", "superlative", "most barbaric"),
        ("This shameful raid shocked the valley.", "evaluative", "shameful"),
        ("The heroes of the brigade stormed the hill.", "glorifying", "heroes"),
        ("The so-called council met in the town hall.", "delegitimising", "so-called"),
        ("The regime moved tanks into the suburbs.", "delegitimising", "regime"),
        (
            "Western capitals armed the terrorists for years.",
            "unattributed_accusation",
            "armed the terrorists",
        ),
        ("The ministry lied about the toll.", "unattributed_accusation", "lied about"),
        ("Police massacred the marchers in the square.", "unattributed_accusation", "massacred"),
        ("The governor should resign before winter.", "call_to_action", "should resign"),
        ("Every officer on that bridge must stand trial.", "call_to_action", "must stand trial"),
        ("Let us remember the names of the dead.", "call_to_action", "Let us"),
        ("The army celebrated its 'victory' in the valley.", "scare_quotes", "'victory'"),
        ("The army celebrated its \u201cvictory\u201d in the valley.", "scare_quotes", "\u201cvictory\u201d"),
    ],
)
def test_flagged(text: str, category: str, flagged: str) -> None:
    assert (category, flagged) in _flags(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a source's accusation, demand or verdict is reported, not made
        ("The opposition said the ministry lied about the toll.", "unattributed_accusation"),
        ("Rights groups accused the militia of a massacre in the village.", "unattributed_accusation"),
        ("The UN envoy said both sides must stop the shelling.", "call_to_action"),
        ("The governor called it a shameful attack.", "evaluative"),
        # words inside quotation marks are the speaker's
        ('A commander said: "These thugs will pay."', "insult"),
        ("\u201cThe vermin will be crushed,\u201d the minister said.", "dehumanising"),
        # names, titles and terms in quotation marks are not scare quotes
        ('Fighters launched "Operation Dawn Shield" on Friday.', "scare_quotes"),
        ('Locals walk what they called the "death road" every day.', "scare_quotes"),
        ('Officials said the "safe zones" would open on Monday.', "scare_quotes"),
        # case and word boundaries
        ("Hayat Tahrir al-Sham took the town.", "delegitimising"),
        ("The People's Liberation Army held drills.", "glorifying"),
        ("Should talks fail, the truce ends.", "call_to_action"),
        # factual superlatives
        ("It was the deadliest attack this year.", "superlative"),
        ("He lives in the world's largest refugee camp.", "superlative"),
    ],
)
def test_not_flagged(text: str, category: str) -> None:
    assert category not in {c for c, _ in _flags(text)}


def test_quoted_term_attributed_elsewhere_is_not_scare_quotes() -> None:
    text = 'Ministers sign "safe corridor" deal\nThe ministers said a "safe corridor" would open on Monday.'
    assert "scare_quotes" not in {c for c, _ in _flags(text)}


def test_wire_style_text_has_no_flags() -> None:
    text = (
        "NORTH TOWN, May 4 - Gunmen killed 14 people in an attack on a village in the north on Tuesday night, "
        "police said.\n"
        "A police spokesman said the attackers arrived on motorcycles at about 11 p.m. and set fire to homes.\n"
        "No group has claimed the attack. Officials said an investigation had begun."
    )
    result = frame_text(text)
    assert result["flags"] == []
    assert result["loaded_score"] == 0.0
    assert result["n_opinion"] == 0


# --- sentences -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Police said 12 people were killed on Monday.", "reporting"),
        ("The shelling stopped at 6 p.m. on Friday.", "reporting"),
        ("Workers told our correspondent that 20 bodies arrived.", "reporting"),
        ("The UN envoy said both sides must stop the shelling.", "reporting"),
        ('"Where is the army?" a resident asked.', "reporting"),
        ("The bridge was closed for two days.", "reporting"),
        ("The governor should resign.", "opinion"),
        ("We will not forget the victims of this war.", "opinion"),
        ("Where was the army when the village burned?", "opinion"),
        ("Ask any farmer in the valley about the checkpoints.", "opinion"),
        ("Don't believe the ministry's figures.", "opinion"),
        ("Once again, the capital offers nothing but silence.", "opinion"),
        ("These thugs answer to nobody.", "opinion"),
    ],
)
def test_sentence_kind(text: str, kind: str) -> None:
    assert _kinds(text) == [kind]


def test_result_shape() -> None:
    text = "Police said two people died. The governor should resign!"
    result = frame_text(text)
    assert set(result) == {"loaded_score", "flags", "sentences", "n_reporting", "n_opinion", "n_words"}
    assert [(s["start"], s["end"]) for s in result["sentences"]] == [(0, 28), (29, len(text))]
    assert result["n_reporting"] == 1
    assert result["n_opinion"] == 1
    assert all(s["why"] for s in result["sentences"])
    assert all(f["why"] for f in result["flags"])
    flag = result["flags"][0]
    assert Flag(**flag).text == text[flag["start"] : flag["end"]]
    assert Sentence(**result["sentences"][1]).kind == "opinion"


# --- score ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("", 0.0, 0.0),
        ("Police said two people died in the clashes on Monday.", 0.0, 0.0),
        # one insult (weight 2) in a text shorter than MIN_WORDS: density 100 * 2 / 50 = 4
        (
            "These thugs fled.",
            1 - math.exp(-4 / SCORE_SCALE) - 1e-4,
            1 - math.exp(-4 / SCORE_SCALE) + 1e-4,
        ),
        ("Vermin, thugs, lackeys and traitors, the filthiest scum of the earth, must be crushed.", 0.9, 1.0),
    ],
)
def test_loaded_score(text: str, low: float, high: float) -> None:
    assert low <= frame_text(text)["loaded_score"] <= high


def test_score_grows_with_loaded_words() -> None:
    base = "The army entered the town on Monday. " * 10
    scores = [frame_text(base + "The thugs fled. " * n)["loaded_score"] for n in range(4)]
    assert scores == sorted(scores)
    assert scores[0] == 0.0 < scores[1]


# --- anchoring (hypothesis) ----------------------------------------------------------------------------------

_PIECES = [
    "The regime",
    " thugs",
    " should resign",
    " said",
    ". ",
    "? ",
    "\n",
    " 'victory'",
    " \u201cmarket\u201d",
    ' "so-called" ',
    " world\u2019s filthiest",
    " we",
    " US",
    " Mr.",
    " 12 people were killed",
    " on Monday",
    "\u0130",  # its lower case is two characters long
    "Don't ",
    " armed the terrorists",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join) | st.text(max_size=300)


@given(_TEXT)
def test_every_span_is_anchored(text: str) -> None:
    result = frame_text(text)
    json.dumps(result)
    assert 0.0 <= result["loaded_score"] <= 1.0
    for flag in result["flags"]:
        assert text[flag["start"] : flag["end"]] == flag["text"]
        assert flag["text"]
    previous = 0
    for sentence in result["sentences"]:
        assert previous <= sentence["start"] < sentence["end"] <= len(text)
        assert sentence["kind"] in {"reporting", "opinion"}
        previous = sentence["end"]
    assert result["n_reporting"] + result["n_opinion"] == len(result["sentences"])


# --- the seed page (issue 5) ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: ../shared is only beside the clone in CI and developer checkouts")
    text = SEED.read_text(encoding="utf-8")
    return text, frame_text(text)


def _line(text: str, word: str) -> tuple[int, int]:
    """The offsets of the line (paragraph) of `text` where `word` first occurs."""
    start = text.index(word)
    end = text.find("\n", start)
    return text.rfind("\n", 0, start) + 1, len(text) if end < 0 else end


@pytest.mark.issue(5)
@pytest.mark.parametrize("word", ["filthiest", "Trump", "Kerry", "coalition"])
def test_seed_paragraphs_flagged(seed: tuple[str, dict[str, Any]], word: str) -> None:
    text, result = seed
    begin, end = _line(text, word)
    assert any(begin <= f["start"] and f["end"] <= end for f in result["flags"])
    inside = [s for s in result["sentences"] if begin <= s["start"] and s["end"] <= end]
    assert inside
    assert all(s["kind"] == "opinion" for s in inside)


@pytest.mark.issue(5)
def test_seed_strike_report_not_flagged(seed: tuple[str, dict[str, Any]]) -> None:
    text, result = seed
    begin, end = _line(text, "Sousseh")
    assert not [f for f in result["flags"] if begin <= f["start"] < end]
    assert [s["kind"] for s in result["sentences"] if begin <= s["start"] < end] == ["reporting", "reporting"]


@pytest.mark.issue(5)
def test_seed_score(seed: tuple[str, dict[str, Any]]) -> None:
    _, result = seed
    assert result["loaded_score"] > SEED_MIN_SCORE


# --- outlet profiles -----------------------------------------------------------------------------------------


def test_outlet_profile() -> None:
    framings = [
        frame_text("The regime shelled the town. The thugs fled. The regime lied about the toll."),
        frame_text("Police said two people died on Monday. Where was the army?"),
    ]
    profile = outlet_profile(framings)
    json.dumps(profile)
    assert profile["n_docs"] == len(framings)
    assert profile["n_sentences"] == 5  # 3 + 2
    assert profile["mean_loaded_score"] == pytest.approx(
        (framings[0]["loaded_score"] + framings[1]["loaded_score"]) / 2, abs=1e-4
    )
    assert profile["opinion_share"] == pytest.approx(
        (framings[0]["n_opinion"] + framings[1]["n_opinion"]) / 5
    )
    assert profile["top_terms"]["delegitimising"] == [{"term": "regime", "count": 2}]
    assert profile["category_counts"]["insult"] == 1
    assert profile["max_loaded_score"] == framings[0]["loaded_score"]


def test_outlet_profile_empty() -> None:
    assert outlet_profile([]) == {
        "n_docs": 0,
        "mean_loaded_score": 0.0,
        "max_loaded_score": 0.0,
        "opinion_share": 0.0,
        "n_sentences": 0,
        "flags_per_doc": 0.0,
        "category_counts": {},
        "top_terms": {},
    }


# --- lexicons as data ----------------------------------------------------------------------------------------


@pytest.fixture()
def lexicon_dir(tmp_path: Path) -> Path:
    target = tmp_path / "framing"
    target.mkdir()
    for name in ("categories.toml", "loaded.txt", "cues.txt"):
        with resources.as_file(PACKAGED.joinpath(name)) as src:
            shutil.copy(src, target / name)
    return target


def test_edited_lexicon(lexicon_dir: Path) -> None:
    with (lexicon_dir / "loaded.txt").open("a", encoding="utf-8") as fh:
        fh.write("dehumanising   goblin*   # likens people to goblins (test entry)\n")
    text = "The goblins crossed the river."
    assert _flags(text) == []
    flags = frame_text(text, lexicon=load_lexicon(lexicon_dir))["flags"]
    assert [(f["category"], f["text"], f["why"]) for f in flags] == [
        ("dehumanising", "goblins", "likens people to goblins (test entry)")
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("dehumanising   goblins\n", "loaded.txt:"),  # no reason given
        ("monsters   goblins   # unknown category\n", "unknown category 'monsters'"),
        ("insult   /gob(lins/   # bad regex\n", "bad regular expression"),
    ],
)
def test_bad_lexicon_line(lexicon_dir: Path, line: str, message: str) -> None:
    with (lexicon_dir / "loaded.txt").open("a", encoding="utf-8") as fh:
        fh.write(line)
    with pytest.raises(ValueError, match=message):
        load_lexicon(lexicon_dir)


def test_every_packaged_entry_is_indexed() -> None:
    # an entry whose first characters cannot be worked out is scanned on its own, ~0.1 ms an article each
    assert [e.term for e in load_lexicon().matcher.scanned] == []


_LEXICON = load_lexicon()
_REFERENCE = {
    group: re.compile(
        "|".join(
            f"(?P<e{e.rank}>{e.regex.pattern})"
            for e in sorted((e for e in _LEXICON.entries if e.group == group), key=lambda e: e.rank)
        ),
        re.IGNORECASE,
    )
    for group in {e.group for e in _LEXICON.entries}
}
_BY_RANK = {e.rank: e for e in _LEXICON.entries}
_WORDS = sorted(
    {w for e in _LEXICON.entries if not e.term.startswith("/") for w in e.term.replace("*", "").split()}
)


@given(
    st.lists(st.sampled_from([*_WORDS, " ", "  ", "\n", "-", "'", "’", "s", "ed", "12", ".", "US"])).map(
        " ".join
    )
)
def test_matcher_equals_one_alternation(text: str) -> None:
    # the indexed matcher finds exactly what one alternation per group, in rank order, finds
    found = _LEXICON.matcher.find(text)
    for group, regex in _REFERENCE.items():
        expected = [(_BY_RANK[int(str(m.lastgroup)[1:])].term, m.span()) for m in regex.finditer(text)]
        assert [(e.term, m.span()) for e, m in found.get(group, [])] == expected


def test_every_category_documented() -> None:
    lexicon = load_lexicon()
    docs = (ROOT / "docs" / "framing.md").read_text(encoding="utf-8")
    for name in [*lexicon.flag_categories, *lexicon.cue_categories]:
        assert f"`{name}`" in docs, name


# --- speed ---------------------------------------------------------------------------------------------------

PARAGRAPHS = [
    (
        "NORTH TOWN, May 4 - Gunmen killed 14 people in an attack on a village in the north on Tuesday night, "
        "police said. A spokesman, Col. Musa Bello, said the attackers came on motorcycles at about 11 p.m."
    ),
    (
        "The regime's thugs have terrorised this valley for years, and once again the capital offers nothing "
        "but silence. Where was the army? We say it clearly: the governor must resign."
    ),
    (
        'Residents said the "security operation" announced last month never reached the village. Two '
        "survivors told our correspondent that the gunmen spoke of a 'cleansing'."
    ),
    (
        "Aid agencies said 3,000 people had fled to the district capital since January, and that food stocks "
        "would last two weeks. The government said it would send troops."
    ),
]
ARTICLE = "\n\n".join(PARAGRAPHS)
FRAME_BUDGET_MS = (
    1.0  # the brief's budget per article; measured 0.3-0.5 ms for this 2,500-character text (2026-11)
)
LOAD_SLACK = (
    3  # shared and CI machines under load ran the same code 2-4 times slower: fail only on a real regression
)


def test_speed() -> None:
    text = (ARTICLE + "\n\n" + ARTICLE)[:2500]
    frame_text(text)
    runs = 5
    best = min(timeit.repeat(lambda: frame_text(text), number=runs, repeat=20)) / runs * 1000
    assert best < FRAME_BUDGET_MS * LOAD_SLACK, (
        f"{best:.3f} ms for 2,500 characters (budget {FRAME_BUDGET_MS} ms)"
    )


def test_pattern_index_finds_what_one_alternation_finds() -> None:
    from khaldun.heads import PatternIndex

    pats = [r"air ?strikes?", r"shell(?:ed|ing|s)?", r"\d+ killed", r"kill(?:ed|ing)?", r"on fire", r"ied"]
    one = re.compile(rf"(?<![\w-])(?:{'|'.join(pats)})(?![\w-])", re.IGNORECASE)
    text = ("Airstrikes hit the town; re-shelled positions, 12 killed. An IED, a bodied man, skilled men, "
            "set on fire. KILLING in İstanbul, shelling-") * 2
    idx = PatternIndex(pats)
    starts = {s for s, _ in idx.spans(text)}
    assert starts == {p for p in range(len(text)) if one.match(text, p)}
    assert starts  # the text holds cues
