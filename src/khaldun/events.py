"""Article text -> the events it reports as having happened, coded the ACLED way.

For each sentence (sentences.py):
  1. cues (data/triggers.toml) say which sub-event types it may report; a sentence with no cue is skipped;
  2. the happened-or-not filter drops threats, predictions, hypotheticals, denials, opinion and background
     (a date well before publication, "since 2014", a past-perfect aside) as `Discard`s with a reason;
  3. the sentence joins a report already opened in this document when it retells it (same family, no place
     or date of its own that says otherwise), or opens a new one (roundups give one report per incident).
Each report then gets its type and sub-type, actors (actors.py), date (dates.py), place (places.py),
toll and claim (casualties.py), and its evidence sentence with offsets.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from . import acled
from .acled import cue, load_table
from .actors import ActorMention, de_facto_abroad, find_actors, generic_name, government_name, state_name
from .casualties import NUMBER_WORD, Toll, attribution, to_int, tolls
from .dates import SINCE_CLAUSE, DateHit, find_dates, parse_date
from .distance import haversine_km
from .heads import PatternIndex
from .records import Discard, Document, Place, Report, Span
from .sentences import split_sentences

BACKGROUND_DAYS = 45  # a dated action this long before publication is background, not the news (devset:
# "one month on" follow-ups report the event itself; older dated actions were background in every document)
SAME_PLACE_KM = 25.0  # two places closer than this are one event's place (ACLED's "same location")
MAX_SENTENCE_CHARS = 1200  # longer "sentences" are run-on chrome or lists, not reports


class GeocoderLike(Protocol):
    def find_mentions(self, text: str) -> list[object]: ...
    def locate(self, text: str, start: int, end: int, *, mentions: list[object] | None = ...,
               outlet_country: str | None = ...) -> Place | None: ...
    def country_info(self, code: str) -> tuple[str, str, int | None]: ...
    def country_for_word(self, word: str) -> str | None: ...


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    sub: str
    cue_start: int  # offsets in the sentence
    cue_end: int
    strong: bool
    dates: list[DateHit]
    place: Place | None = None
    own_place: bool = False
    anaphoric: bool = False  # "the sorties", "this attack": a retelling of an event already reported
    names_place: bool = False  # "in the village of Houla": a place of its own even where the gazetteer has none
    own_deaths: bool = False  # "were killed ... when": deaths told with how they happened, not a bare toll update
    support: bool = False  # a sentence with no cue that adds a toll, a claim or a named actor to a report
    separate: bool = False  # "a separate attack", "in another incident": told apart from what came before
    deaths: Span | None = None  # this town's share of a listed toll ("six died in Dakar and three in Ziguinchor")


@dataclass(slots=True)
class Draft:
    cands: list[Candidate] = field(default_factory=list)

    @property
    def first(self) -> Candidate:
        return self.cands[0]


# -- cues ----------------------------------------------------------------------------------------------
WEAPON_ORDER = [acled.SUICIDE, acled.CHEMICAL, acled.AIR, acled.SHELLING, acled.GRENADE, acled.IED]
_SHOOTING = re.compile(r"\b(?:gunmen|gunman|opened fire|shot|shooting|gunfire|guns|rifles|stormed|bullets|sprayed)\b", re.I)
_DURATION = re.compile(r"\b(?:for|over|during|in)\s+(?:the\s+)?(?:past\s+|last\s+)?(?:[\w-]+\s+){0,4}(?:years|months|decades|weeks)\b", re.I)
_SAID = re.compile(r"\b(?:said|says|told|reported|announced|wrote|confirmed|stated|added|according to)\b", re.I)
_HAD = re.compile(r"\b(?:had|who had|which had|has long|have long)\b", re.I)
_DATELINE = re.compile(
    r"^[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}"  # ERBIL, MAARET AL-NUMAN, Mogadishu
    r"(?:,\s*[A-Z][\w'’.\- ]{1,30}?)?"  # , Iraq
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]+(?:\s+\d{4})?))?"  # , Feb 16 / 4 August 2023
    r"\.?\s*(?:\([^)]{1,30}\)\s*)?(?:/[^/]{1,30}/\.?\s+|(?:--|[-–—:])\s+)(?=[A-Z\"“])"
)
_DEATHS_WHEN = re.compile(r"\b(?:killed|died|shot dead)\b[^.;]{0,60}?\b(?:when|after|as)\s+(?:an?|the|their|his|her)?\s*\w+", re.I)
_NAMED_PLACE = re.compile(r"\b(?:village|town|city|district|neighbou?rhood|camp|area) of [A-Z]")
_TERMINAL = re.compile(r"[.!?…]['\"”’)\]]*$")
_RELATIVE = re.compile(r",\s*(?:which|who|whom|whose|where)\b|\bwhich\b", re.I)
_DURING_REF = re.compile(r"\b(?:during|in)\s+the\s+(?:same\s+)?(?:operation|crackdown|protests?|demonstrations?|march|rally|raid|"
                         r"attack|assault|clashes|fighting|strike|bombing|shelling)\b", re.I)
_AFTER_THE = re.compile(r"\b(?:after|before|since|following|ahead of)\s+(?:the|this|that)\s+(?:\w+\s+)?$", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|its|their)\s+(?:\w+\s+)?$", re.I)


def _any(section: str, key: str, s: str) -> re.Match[str] | None:
    return cue(section, key).search(s)


_FIRED_ON = re.compile(r"\b(?:opened fire|live (?:ammunition|fire|rounds|bullets)|shot (?:dead|at)|fired (?:on|at|into)|gunfire|snipers?)\b", re.I)


# A crowd that burns police stations or vehicles is rioting: police fire on it is part of the riot (ACLED: excessive
# force is lethal force against peaceful protesters)
_RIOT = re.compile(r"\b(?:torched|set fire to|set on fire|burn(?:ed|t)|stormed)\s+(?:[\w-]+\s+){0,3}(?:police stations?|"
                   r"police posts?|vehicles|cars|buses|buildings?|offices?)\b", re.I)


def _excessive(s: str) -> bool:
    """Deaths at a demonstration are excessive force unless the crowd was itself violent (stones, fires,
    clashes) and no one is said to have fired on it: then it is a riot whose toll the riot carries."""
    if not _any("protest", "lethal", s):
        return False
    return not _any("protest", "violent", s) or (bool(_FIRED_ON.search(s)) and not _RIOT.search(s))


# "a kidnapped boy", "the abducted 8-year-old", "kidnapping victim": the abduction names the victim of a
# rescue, not an abduction that happened ("gunmen kidnapped 15 farmers; police freed five" is one)
_VICTIM_NAMED = re.compile(r"\b(?:an?|the|his|her|their)\s+(?:[\w-]+\s+)?(?:kidnapped|abducted)\b|"
                           r"\b(?:kidnapping|abduction)\s+victims?\b", re.I)
_GENERIC_BLAST = re.compile(r"explosions?|exploded|blasts?|detonat(?:ed|ion|ing)|blew up", re.I)


def _blast_in_conflict(sentence: str) -> bool:
    """A sentence whose only weapon word is a generic blast ("explosions", "exploded") reports an attack when
    it names harm, a weapon, a target or an armed actor, and no accident ("a gas cylinder exploded")."""
    if _any("context", "accidental_blast", sentence):
        return False
    if _any("context", "blast_context", sentence):
        return True
    return any(a.kind in ARMED_KINDS for a in find_actors(sentence, lambda _word: None))


def _conflict_agreement(sentence: str) -> bool:
    """A truce, a peace deal, a memorandum on de-escalation; or an agreement with a security word and no
    business one ("the two armies agreed on joint border patrols", not "the airline finalised a deal")."""
    if _any("context", "conflict_agreement", sentence):
        return True
    return bool(_any("context", "security", sentence)) and not _any("context", "commerce", sentence)


def _political_arrest(sentence: str) -> bool:
    """An arrest ACLED codes: of suspected members of an armed group, activists, journalists, opposition
    figures ...; an arrest on drug charges or a warrant is crime news unless such a word is there too."""
    political = _any("context", "political_arrest", sentence)
    if political is None:
        return False
    # "police arrested two suspects in a robbery": "suspects" alone is not political next to a crime word
    return not (_any("context", "criminal_arrest", sentence) and political.group().lower().startswith(("suspect", "on suspicion")))


def classify(sentence: str) -> list[tuple[str, re.Match[str], bool]]:
    """Sub-event types the sentence may report: (sub-event type, cue match, strong?)."""
    out: list[tuple[str, re.Match[str], bool]] = []
    agreement = _any("subtypes", acled.AGREEMENT, sentence)
    if agreement and _any("subtypes", "Agreement made", sentence) and _conflict_agreement(sentence):
        out.append((acled.AGREEMENT, agreement, True))
    crowd = _any("protest", "crowd", sentence)
    if crowd:
        if _any("protest", "mob", sentence):
            return [*out, (acled.MOB, crowd, True)]
        if _excessive(sentence):
            return [*out, (acled.EXCESSIVE, crowd, True)]
        if _any("protest", "violent", sentence):
            return [*out, (acled.VIOLENT_DEMO, crowd, True)]
        if _any("protest", "intervention", sentence):
            return [*out, (acled.INTERVENTION, crowd, True)]
        if re.search(r"\b(?:protested|demonstrated|rallied|marched|took to the streets|gathered|staged|held|holding)\b", sentence, re.I):
            return [*out, (acled.PEACEFUL, crowd, True)]
    disrupted = _any("subtypes", acled.DISRUPTED, sentence)
    if disrupted and _any("context", "weapon_object", sentence):  # not "the quarterback was intercepted"
        return [*out, (acled.DISRUPTED, disrupted, True)]
    violence = _any("violence", "verbs", sentence) or _any("subtypes", acled.CLASH, sentence)
    for sub in (acled.ABDUCTION, acled.SEXUAL):
        m = _any("subtypes", sub, sentence)
        if m and not (sub == acled.ABDUCTION and _any("context", "rescue", sentence) and _VICTIM_NAMED.search(sentence)):
            return [*out, (sub, m, True)]
    arrest = _any("subtypes", acled.ARRESTS, sentence)
    if arrest and not _political_arrest(sentence):
        arrest = None  # "police arrested six people during a narcotics investigation": crime, not conflict
    verbs = list(cue("violence", "verbs").finditer(sentence)) if arrest and violence else []
    if verbs and not _any("subtypes", acled.CLASH, sentence) and not any(
            not _DEFINITE.search(sentence[max(0, v.start() - 12):v.start()]) for v in verbs):
        violence = None  # "detained a man suspected of filming the restaurant before the strike": the arrest is the news
    if arrest and not violence:
        return [*out, (acled.ARRESTS, arrest, True)]
    for sub in (acled.GOV_TERRITORY, acled.NSA_TERRITORY):
        # "the army liberated the city of Wad Madani", "had recaptured Wad Madani": territory changes hands
        # with no violence verb in the sentence
        m = _any("subtypes", sub, sentence)
        if m and (_PLACE_NOUN_END.search(m.group(0)) or _TERRITORY_OBJECT.match(sentence, m.end())):
            return [*out, (sub, m, True)]
    if not violence:
        looting = _any("subtypes", acled.LOOTING, sentence)
        return [*out, (acled.LOOTING, looting, True)] if looting else out
    for sub in (acled.GOV_TERRITORY, acled.NSA_TERRITORY):
        m = _any("subtypes", sub, sentence)
        if m:
            return [*out, (sub, m, True)]
    attack = _any("subtypes", acled.ATTACK, sentence)
    weapons = [(sub, m) for sub in WEAPON_ORDER if (m := _any("weapons", sub, sentence)) and _armed_use(sentence, sub, m)]
    if weapons:
        # a suicide or chemical attack is that whatever else is named; otherwise the first weapon named
        # ("fired 24 rockets at the base, hitting vehicles and aircraft" is shelling, not an air strike)
        special = [w for w in weapons if w[0] in (acled.SUICIDE, acled.CHEMICAL)]
        sub, m = special[0] if special else min(weapons, key=lambda w: w[1].start())
        if attack and sub in (acled.IED, acled.GRENADE) and _SHOOTING.search(sentence):
            return [*out, (acled.ATTACK, attack, True)]
        if sub == acled.IED and len(weapons) == 1 and _HEARD.match(sentence, m.end()):
            return [*out, ("", m, False)]  # "explosions were heard in Sanaa": what the strikes sounded like, no bomb
        if sub == acled.IED and len(weapons) == 1 and _GENERIC_BLAST.fullmatch(m.group()) and not _blast_in_conflict(sentence):
            return out  # "fireworks and explosions rattled the city", "stellar explosions": no attack
        return [*out, (sub, m, True)]
    clash = _any("subtypes", acled.CLASH, sentence)
    if clash:
        return [*out, (acled.CLASH, clash, True)]
    if attack:
        return [*out, (acled.ATTACK, attack, True)]
    return [*out, ("", violence, False)]


_CROWD_CONTROL = re.compile(r"\btear[- ]?gas\s+$", re.I)
_CARRIED_BY = re.compile(r"\b(?:shifted|evacuated|airlifted|flown|ferried|transported|taken|rushed|moved|carried|brought)\b"
                         r"[^.;]{0,60}\b(?:by|aboard|on board|in)\s+(?:\w+\s+){0,2}$", re.I)


def _armed_use(sentence: str, sub: str, m: re.Match[str]) -> bool:
    """A weapon word used as a weapon: not "tear gas shells" fired at a crowd, nor the helicopters the
    wounded were flown out by."""
    before = sentence[max(0, m.start() - 90):m.start()]
    if sub == acled.SHELLING and _CROWD_CONTROL.search(before):
        return False
    return not (sub == acled.AIR and _CARRIED_BY.search(before))


_TERRITORY_OBJECT = re.compile(r"\s+(?:(?:full\s+)?control\s+(?:of|over)\s+)?(?:the\s+(?:[\w-]+\s+){0,2}(?:city|town|village|"
                               r"base|district|area|province|capital|airport|garrison|headquarters|border crossing)\b|"
                               r"(?-i:[A-Z][\w'’-]+))", re.I)
_PLACE_NOUN_END = re.compile(r"\b(?:town|city|village|base)$", re.I)


_QUICK: PatternIndex | None = None


def _quick() -> PatternIndex:
    """Where the text holds any cue at all (most sentences hold none): one trie scan of every cue pattern's
    first letters (`heads.PatternIndex`), the same answers as one alternation of them in a fifth of the time."""
    global _QUICK
    if _QUICK is None:
        t = load_table("triggers")
        pats: list[str] = []
        for section in ("weapons", "violence", "subtypes", "protest"):
            for v in t[section].values():
                pats.extend(v)
        _QUICK = PatternIndex(pats)
    return _QUICK


def _holds_cue(cues: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    """Does the sentence text[s:e] hold a whole cue (one of `cues`, sorted, with their `starts`)?"""
    i = bisect.bisect_left(starts, s)
    while i < len(cues) and cues[i][0] < e:
        if cues[i][1] <= e:
            return True
        i += 1
    return False


# -- the happened-or-not filter -------------------------------------------------------------------------
def _clause_before(sentence: str, pos: int) -> str:
    start = max(sentence.rfind(c, 0, pos) for c in ";:")
    return sentence[start + 1:pos]


def modality(sentence: str, cue_start: int, sub: str) -> str:
    """'' when the sentence reports the cue as having happened, else why not."""
    before = _clause_before(sentence, cue_start)
    if cue("modality", "irrealis").search(before[-90:]) or _EXPECT_LEAD.match(before):
        return "not_happened:irrealis"
    neg = cue("modality", "negation")
    window = _HEDGE.sub(" ", sentence[max(0, cue_start - 45):cue_start + 60])  # "a figure that could not be verified"
    if sub != acled.AGREEMENT and neg.search(window) and not re.search(r"\bno (?:one|fewer)\b", window, re.I):
        return "not_happened:denied_or_negated"
    if re.search(r"\b(?:were|was|are|is) (?:false|untrue|fabricated|staged|lies)\b", sentence, re.I):
        return "not_happened:denied_or_negated"
    if _DENIED_AND_BLAMED.search(sentence, 0, cue_start):
        # "M23 denied the accusation and said the Congolese army had fired the shells": a counter-accusation
        return "not_happened:denied_or_negated"
    if sentence.rstrip().endswith("?"):
        return "not_happened:question"
    if _EXERCISE.search(sentence) and sub not in PROTEST_SUBS:
        return "not_happened:exercise"  # "troops fired rockets at the Pabrade training range as part of an exercise"
    if _HABITUAL_VERB.match(sentence, cue_start) and _HABITUAL_SUBJECT.search(before[-40:]):
        return "not_happened:habitual"  # "their operators say they strike only terrorists"
    if _TREND.search(before) and not _DAY_OR_TOLL.search(sentence):
        return "not_happened:generic"  # "gangs have grown bolder, moving from cattle rustling to highway kidnappings"
    return ""


# A kind of violence named as a trend, the object of "moving from ... to", "turned to", "resorted to", with no
# day and no toll in the sentence: no one event
_TREND = re.compile(r"\b(?:moving|moved|shifting|shifted|turning|turned|graduat(?:ing|ed)|resort(?:ing|ed)|switch(?:ing|ed))\s+"
                    r"(?:from\s+[^,;]{1,60}?\s+)?(?:to|towards?|into)\s+(?:[\w-]+\s+){0,2}$", re.I)
_DAY_OR_TOLL = re.compile(r"\b(?:on|last|this|late|early)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
                          r"\b(?:yesterday|overnight|last night)\b|\b\d+\s+(?:people|civilians|soldiers)\s+(?:were\s+)?(?:killed|dead)\b",
                          re.I)


_DENIED_AND_BLAMED = re.compile(r"\b(?:denied|denies|rejected|rejects|dismissed|dismisses)\b[^.;]{0,80}?"
                                r"(?:\band\s+(?:said|says|blamed|blames|accused|accuses)\b|,\s+(?:saying|blaming|accusing)\b)", re.I)
_HABITUAL_VERB = re.compile(r"(?:strike|attack|kill|bomb|shell|target|raid|fire)s?\b", re.I)
_HABITUAL_SUBJECT = re.compile(r"\b(?:they|we|you|he|she|it|who|(?:its|their|our|his|her)\s+[a-z]+s)\s+(?:(?:only|also|still|often|always|never|regularly|routinely|usually)\s+)?$", re.I)


# "We expect the rainy season, which ..., to shift the pattern towards roadside bombs": the whole sentence
# is a forecast however far the cue is from its verb
_EXPECT_LEAD = re.compile(r"\W*(?:[\w'’-]+\s+){0,3}?(?:expects?|expected|fears?|feared|predicts?|predicted|anticipates?|"
                          r"forecasts?|warns?|warned)\b", re.I)
_HEARD = re.compile(r"\s+(?:(?:were|was|could be|had been)\s+)?(?:heard|reported|rocked|shook|echoed|rang out)\b", re.I)
_HEDGE = re.compile(r"\b(?:could|can|has|have|had|was|were|is|are)\s+not\s+(?:yet\s+|immediately\s+)?(?:be(?:en)?\s+)?"
                    r"(?:independently\s+|immediately\s+)?(?:confirmed|verified|reached)\b|\bnot\s+(?:be\s+)?independently\s+"
                    r"(?:confirmed|verified)\b|\bno independent (?:confirmation|verification)\b", re.I)
_EXERCISE = re.compile(r"\b(?:exercises?|drills?|manoeuvres|maneuvers|training (?:range|ground|area)|live-fire|firing range|"
                       r"test-fired|test launch(?:es)?|military parade|war games)\b", re.I)
_BY_THEN = re.compile(r"\bby (?:the end of the day|the evening|evening|nightfall|the time|midday|noon|then|morning)\b", re.I)
_WHEN = re.compile(r"\b(?:when|whenever|each time|every time)\b", re.I)
_REFERENCE = re.compile(r"\b(?:followed|following|in retaliation for|in response to|in revenge for|to avenge|retaliating for)\b", re.I)


_REPORTED_ON = re.compile(
    r"\b(?:said|says|announced|told|reported|added|stated|confirmed|wrote|posted|published|released|issued|announcing|claimed|"
    r"declared|denied)\s+(?:(?:on|in|at|a|an|the|its|his|her|their|statement|interview|reporters|journalists|press|"
    r"conference|briefing|late|early|tweet|post|message|televised|address|speech|report|findings|investigation|"
    r"inquiry|study|analysis|review|assessment|figures|tally|data|video|footage|images|photos|[A-Z][\w-]*)\s+){0,5}$")


_POSSESSIVE_DATE = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}?(?:attack|attacks|bombing|bombings|blast|explosion|strike|strikes|"
                              r"air ?strikes?|raid|raids|shelling|massacre|killings?|ambush|assault|clash(?:es)?|fighting|"
                              r"violence|protests?|demonstrations?|rally|crackdown|shooting|incident|explosions|offensive)\b", re.I)


def said_dates(sentence: str, published: dt.date | None, *, skip_until: int = 0) -> list[DateHit]:
    """The days a sentence says something was said ("officials said on Sunday")."""
    return [h for h in find_dates(sentence, published, skip_until=skip_until) if h.precision == 1
            and _REPORTED_ON.search(sentence[max(0, h.start - 45):h.start])]


def event_dates(sentence: str, published: dt.date | None, *, skip_until: int = 0) -> list[DateHit]:
    """Dates of what happened: "announced on Sunday that 21 people had died in the attack on Friday"
    dates the attack to Friday; the Sunday is only when it was said."""
    hits = [h for h in find_dates(sentence, published, skip_until=skip_until)
            if (_POSSESSIVE_DATE.match(sentence, h.end)  # "the toll from Monday's attack": the attack's day
                or not re.search(r"\b(?:since|until|till|from)\s+(?:early\s+|late\s+|mid-?)?$", sentence[max(0, h.start - 12):h.start], re.I))
            and not h.text.lower().startswith(("since", "until", "from"))  # "since 10 May" starts a span
            and not SINCE_CLAUSE.search(sentence[:h.start])]  # "... since it laid siege to the city on 10 May"
    return [h for h in hits if not _REPORTED_ON.search(sentence[max(0, h.start - 45):h.start])
            and not _LATER_STEP.search(sentence[max(0, h.start - 60):h.start])]


# "looted shops ... before withdrawing on Sunday 12 May": the date of the later step, not of the event
_LATER_STEP = re.compile(r"\b(?:before|after)\s+\w+ing\b[^,;.]*$", re.I)


def recent_day(dates: list[DateHit], published: dt.date | None) -> bool:
    return any(d.precision == 1 and not d.explicit for d in dates)


_SINCE_THE = re.compile(r"\bsince\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
_TALLY_OVER_TIME = re.compile(r"\b(?:has|have)\s+(?:\w+\s+)?(?:killed|displaced|claimed the lives of|left)\s+(?:more than\s+|over\s+|"
                              r"tens of\s+|hundreds of\s+|many\s+)?(?:thousands|millions|hundreds of thousands|tens of thousands)\b",
                              re.I)


def is_background(sentence: str, cue_start: int, dates: list[DateHit], published: dt.date | None) -> str:
    when = None
    for w in _WHEN.finditer(sentence, 0, cue_start):
        when = w
        break
    if when is not None and not dates and not cue("violence", "verbs").search(sentence, 0, when.start()):
        return "background:subordinate"  # "capitals that stayed silent when rockets fell on X ..."
    aside = None
    for a in re.finditer(r",\s*(?:who|which|whose)\b", sentence[:cue_start]):
        aside = a
    if (aside is not None and "," not in sentence[aside.end():cue_start] and "," in sentence[cue_start:]
            and not recent_day(dates, published)):
        return "background:aside"  # "The Taliban, who took control of Kabul on Aug. 15, ..."
    ref = _REFERENCE.search(sentence, 0, cue_start)
    if ref is not None and not cue("violence", "verbs").search(sentence, 0, ref.start()):
        return "background:reference"  # "Ankara's campaign followed the 1 October suicide bombing"
    recent = [d for d in dates if published is None or (published - d.date).days <= BACKGROUND_DAYS]
    old = [d for d in dates if published is not None and (published - d.date).days > BACKGROUND_DAYS]
    if old and not recent:
        return "background:dated_before_publication"
    if any(d.precision == 4 for d in dates) and not any(d.precision <= 2 for d in recent):
        return "background:year_only"
    before = sentence[:cue_start]
    if re.search(r"\b(?:recalled|recalling|reminded|remembered|remember)\b", before, re.I):
        return "background:recalled"  # "the ministry recalled that the same formations were behind ..."
    if not recent and (_DURATION.search(sentence) or _TALLY_OVER_TIME.search(sentence)):
        return "background:over_time"  # "for four and a half years the coalition has bombed ...", "violence
        # by groups linked to al Qaeda has killed thousands of people"
    if not recent and cue("modality", "background").search(before[-80:]):
        return "background:aside"
    if not recent and _HAD.search(before[-40:]) and not _SAID.search(before) and not _BY_THEN.search(sentence):
        return "background:past_perfect"  # (in reported speech, "said the strike had killed" is the news; and
        # "By the end of the day, eight people had been killed" is the story's own day)
    if re.search(r"\b(?:since|ago)\b", sentence[cue_start:cue_start + 80], re.I) and not recent:
        return "background:since"
    if _SINCE_THE.search(sentence, 0, cue_start):
        return "background:since"  # "the worst escalation since the fighting for Hodeidah in 2018"
    if not recent and re.search(r"\b(?:in the past|previously|in recent years|over the years|last year|the year before|"
                                r"a year earlier|in previous years)\b|\bsimilar (?:attacks|strikes|bombings|raids)\b",
                                sentence[max(0, cue_start - 30):cue_start + 80], re.I):
        return "background:aside"  # "AQAP has carried out similar attacks on officials in the past"
    if re.match(r"\W*(?:since then|ever since|since that)\b", sentence, re.I) and not recent:
        return "background:since"  # "Since then, the army has carried out repeated sweeping operations ..."
    return ""


# -- the coder ------------------------------------------------------------------------------------------
def _km(a: Place | None, b: Place | None) -> float:
    if not a or not b or a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return math.inf
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _family(sub: str) -> str:
    if not sub:
        return "violence"
    if sub in (acled.ARRESTS, acled.AGREEMENT, acled.DISRUPTED, acled.LOOTING, acled.CHANGE, acled.HQ):
        return sub
    return acled.family(acled.event_type(sub))


def _day_dates(c: Candidate) -> list[dt.date]:
    return [d.date for d in c.dates if d.precision == 1]


_SEPARATE = re.compile(r"\b(?:a\s+)?separate\s+(?:attack|incident|assault|strike|raid|ambush|clash|bombing|explosion|blast)s?\b|"
                       r"\banother\s+(?:attack|assault|raid|ambush|bombing)\b|\ba\s+second\s+(?:attack|assault|raid|ambush|bombing)\b|"
                       r"\bin\s+(?:another|a separate)\s+incident\b|^\s*separately\b", re.I)


# "is the second such attack in ten days", "the latest in a string of", "came nine days after": the sentences
# after it in its paragraph tell the earlier events of the series, as background
_SERIES = re.compile(r"\b(?:is|was|marks|marked)\s+the\s+(?:second|third|fourth|fifth|latest|\w+th)\s+(?:such\s+)?(?:[\w-]+\s+){0,3}?"
                     r"(?:in|since|this|within)\b|\bthe\s+latest\s+in\s+an?\s+(?:string|series|spate|wave|run|spree)\s+of\b|"
                     r"\bcame\s+(?:just\s+|only\s+)?(?:\w+\s+)?(?:days?|weeks?)\s+after\b", re.I)
_CAME_AFTER = re.compile(r"\b(?:came|comes|follows|followed)\s+(?:just\s+|only\s+|barely\s+)?(?:[\w-]+\s+)?(?:days?|weeks?|months?)\s+"
                         r"(?:after|since)\b", re.I)
SERIES_DAYS = 3  # an event dated this many days before publication, told in such a paragraph, is an earlier one


def _joins(d: Draft, c: Candidate) -> bool:
    if c.sub == acled.ARRESTS and _family(d.first.sub) == "demonstration" and not c.own_place:
        return True  # "63 people were detained during the night": the arrests are the protest's intervention
    if (_family(d.first.sub) == "demonstration" and _family(c.sub) == "violence" and c.anaphoric and not c.own_place
            and not _day_dates(c)):
        return True  # "12 of its workers were shot dead by security forces during the operation": the protest's toll
    if _family(d.first.sub) != _family(c.sub) and c.sub and d.first.sub:
        return False
    if c.sub == acled.AGREEMENT or d.first.sub == acled.AGREEMENT:
        return c.sub == d.first.sub
    if c.separate and c.strong:
        return False  # "On the same day, a separate attack against the detachment at Kelbo was repelled"
    ddays0 = [x for cand in d.cands for x in _day_dates(cand)]
    if (c.anaphoric or not c.strong) and (not _day_dates(c) or not ddays0 or set(_day_dates(c)) & set(ddays0)):
        return True  # "the strike", or a bare toll ("a higher count of 32 dead"): more on the same event
    if not c.strong and not c.anaphoric and c.own_deaths and _day_dates(c) and ddays0:
        return False  # "four Rangers had been killed on Monday night when a vehicle drove into them": its own day, its own dead
    dplace = next((x.place for x in d.cands if x.own_place), None)
    if c.own_place and dplace is not None and c.place is not None:
        if dplace.location and c.place.location and _km(dplace, c.place) > SAME_PLACE_KM:
            return False
    ddays = [x for cand in d.cands for x in _day_dates(cand)]
    cdays = _day_dates(c)
    if ddays and cdays and min(abs((a - b).days) for a in ddays for b in cdays) > 1:
        return False
    if (c.strong and not c.anaphoric and ddays and cdays and not set(cdays) & set(ddays)
            and (not d.first.strong or (c.names_place and not c.own_place))):
        return False  # "gunmen stormed the town on Thursday" ... "police exchanged fire with them on Friday"
    strong_subs = {x.sub for x in d.cands if x.strong}
    if c.strong and strong_subs and c.sub not in strong_subs:
        # a different kind of violence is a different event only if the text places or dates it apart
        if ((c.own_place and dplace is None) or (cdays and ddays and set(cdays) != set(ddays))
                or (c.names_place and not c.own_place)):
            return False
        if acled.event_type(c.sub) != acled.event_type(next(iter(strong_subs))) and cdays and not ddays:
            return False
    return True


def _outlet_country(doc: Document, geo: GeocoderLike | None = None) -> str | None:
    """The outlet's home country: given with the input, else named in the outlet's name ("Burkina Information
    Agency", "Sudan National News Service")."""
    given = doc.metadata.get("outlet_country")
    if isinstance(given, str):
        return given
    if geo is None or not doc.outlet:
        return None
    words = re.findall(r"[A-Z][\w'’.-]*", doc.outlet)
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            code = geo.country_for_word(" ".join(words[i:i + n]))
            if code:
                return code
    return None


SPORTS_MIN = 6  # sports words a page needs before it can be a sports page ...
SPORTS_RATIO = 3  # ... and how many times its conflict words they must outnumber


@cache
def _topic(key: str) -> PatternIndex:
    return PatternIndex(load_table("triggers")["topic"][key])  # one trie scan, not a 60-way alternation


def _sports_page(text: str) -> bool:
    """A report of a game ("rallied to take the deciding set", "the Rockets", "a key offensive rebound"): many
    sports words and few conflict ones. A stadium attack or a match cancelled by fighting has plenty of the
    latter and is coded as usual."""
    sports = len(_topic("sports").spans(text))
    if sports < SPORTS_MIN:
        return False
    return sports >= SPORTS_RATIO * max(1, len(_topic("conflict").spans(text)))


def code_document(doc: Document, geo: GeocoderLike) -> Document:
    """Find and code the events `doc.text` reports; fills `doc.reports` and `doc.discards`."""
    text = doc.text
    if doc.language and doc.language != "en":
        # the cue tables are English: a Spanish or Arabic page is stored and labelled, not coded wrongly
        doc.discards.append(Discard(f"language:{doc.language}"))
        return doc
    published = dt.date.fromisoformat(doc.published) if doc.published else None
    sents = split_sentences(text)
    cues = _quick().spans(text)
    if not cues:
        return doc  # most pages of a crawl report no event: no cue anywhere, nothing to geocode
    if _sports_page(text):
        doc.discards.append(Discard("not_conflict:sports"))
        return doc
    cue_starts = [c[0] for c in cues]
    mentions = geo.find_mentions(text)
    outlet = _outlet_country(doc, geo)
    drafts: list[Draft] = []
    owner: dict[int, Draft] = {}  # sentence start -> the report it went into
    exercise_until = -1  # the paragraphs after a sentence about a military exercise are about it too
    background_until = -1  # and those after a dated past event, when they retell it in the past perfect
    series_until = -1  # and the rest of a paragraph that sets the news in a series ("the second in ten days")
    for si, (s, e) in enumerate(sents):
        sent = text[s:e]
        if len(sent) > MAX_SENTENCE_CHARS or not _TERMINAL.search(sent):
            continue
        if drafts and _SERIES.search(sent):
            series_until = max(series_until, _paragraphs_after(text, s, 0))
        if not _holds_cue(cues, cue_starts, s, e):
            _support(text, si, sents, owner, published)
            continue
        dateline = _DATELINE.match(sent)
        body_off = dateline.end() if dateline else 0
        for sub, m, strong in classify(sent):
            if m.start() < body_off:
                continue
            dates = event_dates(sent, published, skip_until=body_off)
            why = modality(sent[body_off:], m.start() - body_off, sub) or is_background(sent, m.start(), dates, published)
            if not why and s < exercise_until and not any(t.kind == "killed" for t in tolls(sent)):
                why = "not_happened:exercise"  # "HIMARS launchers fired live rockets at targets in the range"
            if (not why and s < background_until and not any(h.precision == 1 for h in dates)
                    and _HAD.search(sent[max(0, m.start() - 60):m.start()])):
                why = "background:context"  # after "... for the killing of seven villagers in March 2019": "the
                # soldiers had arrested the men and shot them" retells that old event
            if not why and drafts and _AFTER_THE.search(sent[max(0, m.start() - 30):m.start()]):
                why = "background:reference"  # "a message that circulated after the attack, in which the commander
                # warned on Nov. 12 ...": the event already told, named to date something else
            came = _CAME_AFTER.search(sent)
            if not why and came and (came.start() < m.start() or _DEFINITE.search(sent[max(0, m.start() - 12):m.start()])):
                # "The kidnapping came nine days after gunmen took 42 people from a school in Kagara": the news
                # named again, then an earlier event
                why = "background:earlier_in_series"
            if (not why and s < series_until and published is not None and dates
                    and all(h.precision == 1 and (published - h.date).days >= SERIES_DAYS for h in dates)):
                why = "background:earlier_in_series"  # "The kidnapping is the second in ten days. On February
                # 17, gunmen attacked the college in Kagara ...": the earlier one, told to compare
            if why in ("background:dated_before_publication", "background:year_only"):
                background_until = max(background_until, _paragraphs_after(text, e, 1))
            if why == "not_happened:exercise":
                exercise_until = max(exercise_until, _paragraphs_after(text, e, 2))
            if why:
                doc.discards.append(Discard(why, Span(s, e, sent)))
                continue
            c = Candidate(s, e, sub, m.start(), m.end(), strong, dates)
            c.place = geo.locate(text, s, e, mentions=mentions, outlet_country=outlet)
            c.own_place = bool(c.place and c.place.mention and s <= c.place.mention.start < e)
            if not c.own_place:
                heading = _heading_place(text, s, geo, mentions)
                if heading is not None:
                    c.place, c.own_place = heading, True  # a roundup's "DHI QAR - Nasiriyah" above the paragraph
            if c.own_place and c.place and c.place.mention and s <= c.place.mention.start < e:
                rel = _RELATIVE.search(sent, m.end())
                if rel and c.place.mention.start - s > rel.start():
                    c.own_place = False  # "..., which they use to launch rockets at Hama": not where it happened
            if _DEFINITE.search(sent[max(0, m.start() - 12):m.start()]) or _DURING_REF.search(sent, m.end()):
                c.anaphoric = True  # "the strike", "... shot dead during the operation"
            c.names_place = bool(_NAMED_PLACE.search(sent))
            c.separate = bool(_SEPARATE.search(sent))
            c.own_deaths = bool(_DEATHS_WHEN.search(sent))
            extra = _listed_places(text, s, e, sub, c, mentions, geo, outlet)
            for d in reversed(drafts):
                if _joins(d, c):
                    d.cands.append(c)
                    owner[s] = d
                    break
            else:
                drafts.append(Draft([c]))
                owner[s] = drafts[-1]
            for x in extra:  # "Protests were also held in Mombasa, Kisumu and other towns": one event a town
                if not any(_joins(d, x) for d in drafts):
                    drafts.append(Draft([x]))
    doc.reports = [r for i, d in enumerate(drafts) if (r := _build(doc, d, i, geo, published, drafts)) is not None]
    _attach_denials(doc)
    return doc


_NO_DEATHS = re.compile(r"\b(?:no (?:deaths|fatalities|casualties) (?:were|was|have been|had been) reported|no one was (?:killed|hurt|injured|wounded)|"
                        r"nobody was (?:killed|hurt|injured|wounded)|there were no (?:deaths|casualties|fatalities)|no (?:deaths|fatalities) (?:were )?(?:reported|recorded))\b", re.I)


def _paragraphs_after(text: str, at: int, n: int) -> int:
    end = at
    for _ in range(n + 1):
        nxt = text.find("\n", end + 1)
        if nxt < 0:
            return len(text)
        end = nxt
    return end


_TOWN_OF = r"(?:the\s+(?:[a-z-]+\s+)?(?:city|town|village)\s+of\s+)?"  # "the southern city of"
_LIST_SEP = re.compile(rf"\s*(?:,|,?\s+and|,?\s+or)\s+{_TOWN_OF}")
# "six people died in Dakar", "and three in Ziguinchor": the number just before "in <town>"
_SHARE_BEFORE = re.compile(
    rf"\b(?P<n>{NUMBER_WORD})(?:\s+(?:people|persons|civilians|protesters|demonstrators|others|more|dead|deaths))?"
    r"(?:\s+(?:were|was|have been|had been))?(?:\s+(?:killed|died|dead|shot dead|lost their lives))?\s+$", re.I)
_LIST_OPENER = re.compile(r"\bin\s+(?:the\s+(?:towns?|cities|city|villages?|provinces?)\s+of\s+)?$")
# the towns a strike or raid hit, named as its direct objects: "missiles hit Odesa and Kharkiv"
_TARGET_LIST_OPENER = re.compile(
    r"\b(?:in|on|struck|hit|shelled|bombed|pounded|targeted|attacked|raided|stormed)\s+"
    r"(?:the\s+(?:towns?|cities|city|villages?)\s+of\s+)?$", re.I)


def _listed_places(text: str, s: int, e: int, sub: str, c: Candidate, mentions: Sequence[object],
                   geo: GeocoderLike, outlet: str | None) -> list[Candidate]:
    """The other towns of a list a sentence gives ("protests in Mombasa, Kisumu and Nakuru", "missiles hit
    Odesa and Kharkiv"): ACLED codes one event per location and day. A toll for the whole list splits only
    where the article gives each town's share ("six died in Dakar and three in Ziguinchor") and the shares
    add up to it; otherwise the sentence stays one report."""
    if sub == acled.AGREEMENT or c.place is None or not c.own_place:
        return []
    resolve = getattr(geo, "resolve", None)
    inside = [m for m in mentions if s <= m.span.start and m.span.end <= e and getattr(m, "kind", "") == "populated"
              and not getattr(m, "dateline", False)]
    listed: list[object] = []
    for a, b in zip(inside, inside[1:]):
        if _LIST_SEP.fullmatch(text[a.span.end:b.span.start]):
            listed += [x for x in (a, b) if x not in listed]
    out: list[Candidate] = []
    own = c.place.mention
    if (resolve is None or len(listed) < 2 or own is None or not any(m.span.start == own.start for m in listed)
            or not (_LIST_OPENER if sub in PROTEST_SUBS else _TARGET_LIST_OPENER).search(
                text[max(s, listed[0].span.start - 40):listed[0].span.start])):
        return out  # the report's own place opens an "in A, B and C" list (or the targets of a strike)
    shares: dict[int, Span] = {}
    total = [t.value for t in tolls(text[s:e]) if t.kind == "killed" and not t.vague]
    if total:
        shares = _toll_shares(text, e, [m.span.text for m in listed], total[0])
        if not shares:
            return out  # a toll for the whole list, its division not said: one report
    for k, m in enumerate(listed):
        if m.span.start == own.start:
            c.deaths = shares.get(k)
            continue
        place = resolve(m.span.text, text=text, start=m.span.start, mentions=mentions, outlet_country=outlet)
        if place is None or place.latitude is None or place.country_code != c.place.country_code:
            if shares:
                c.deaths = None
                return []  # a share without its town: keep the total on one report
            continue
        out.append(Candidate(s, e, c.sub, c.cue_start, c.cue_end, c.strong, c.dates, place, True,
                             deaths=shares.get(k)))
    return out


def _toll_shares(text: str, after: int, towns: list[str], total: int) -> dict[int, Span]:
    """Each listed town's share of a toll, where the next paragraphs give them ("six people died in Dakar
    and three in Ziguinchor") and they add up to `total`; else {}."""
    stop = _paragraphs_after(text, after, 2)
    shares: dict[int, Span] = {}
    counted = 0
    for k, town in enumerate(towns):
        for m in re.compile(rf"\b(?:in|at)\s+{_TOWN_OF}{re.escape(town)}\b").finditer(text, after, stop):
            n = _SHARE_BEFORE.search(text, max(after, m.start() - 60), m.start())
            value = to_int(n.group("n")) if n else None
            if n and value is not None:
                shares[k] = Span(n.start("n"), n.end("n"), n.group("n"))
                counted += value
                break
    return shares if len(shares) == len(towns) and counted == total else {}


_DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected|dismissed)\b|\b(?:were|was|are|is) (?:false|untrue|fabricated|"
                     r"staged|baseless|lies)\b", re.I)
_DENIER = re.compile(r"^(?:[A-Z][\w'’.-]*\s*){0,2}?(?P<who>(?:the\s+)?[A-Z][^,;]{1,60}?)\s+(?:denied|denies|rejected|dismissed|said|says)\b")


def _attach_denials(doc: Document) -> None:
    """A party's denial ("Moscow denied any role") is kept with the report it answers: the claim says who
    denied it and the `denial` span points at the words."""
    if not doc.reports:
        return
    for dsc in doc.discards:
        if dsc.span is None or not dsc.reason.startswith("not_happened:denied") or not _DENIAL.search(dsc.span.text):
            continue
        before = [r for r in doc.reports if r.evidence_start <= dsc.span.start]
        r = before[-1] if before else doc.reports[0]
        m = _DENIER.search(dsc.span.text)
        who = m.group("who") if m else "a party"
        r.claim = f"{r.claim}; denied by {who}" if r.claim else f"denied by {who}"
        r.mentions.setdefault("denial", dsc.span)


_FAMILY_NEEDS_ARMS = {"violence": True}
HEADING_MAX_WORDS = 12


def _heading_place(text: str, s: int, geo: GeocoderLike, mentions: list[object]) -> Place | None:
    """The place a heading line right above the sentence's paragraph names, if any."""
    line_start = text.rfind("\n", 0, s) + 1
    if line_start <= 1:
        return None
    prev_end = line_start - 1
    prev_start = text.rfind("\n", 0, prev_end) + 1
    head = text[prev_start:prev_end].strip()
    if not head or _TERMINAL.search(head) or len(head.split()) > HEADING_MAX_WORDS:
        return None
    place = geo.locate(text, prev_start, prev_end, mentions=mentions)
    if place and place.mention and prev_start <= place.mention.start < prev_end and place.latitude is not None:
        return place
    return None


SUPPORT_WINDOW = 3  # sentences back to the report a cue-less toll or claim belongs to
_PRESENCE = re.compile(r"\b(?:attending|present|gathered|inside|meeting|on board|in the building)\b", re.I)


def _support(text: str, i: int, sents: list[tuple[int, int]], owner: dict[int, Draft],
             published: dt.date | None) -> None:
    """A sentence without an event cue that follows a report's sentence in the same paragraph and gives
    a toll, a presence figure or a named group ("Iraqi command center confirmed that 30 ISIS commanders
    were attending the meeting") adds to that report: its figures, its source, its actors."""
    if i <= 0:
        return
    s, e = sents[i]
    d = next((owner[a] for a, _ in reversed(sents[max(0, i - SUPPORT_WINDOW):i]) if a in owner), None)
    if d is None:
        return
    sent = text[s:e]
    if not (tolls(sent) or _PRESENCE.search(sent)):
        return
    dates = [h for h in event_dates(sent, published) if published is None or (published - h.date).days <= BACKGROUND_DAYS]
    d.cands.append(Candidate(s, e, d.first.sub, 0, 0, False, dates, support=True))
    owner[s] = d


def _dateline_place(text: str, line_start: int, start: int, geo: GeocoderLike) -> Place | None:
    """The place of a leading dateline on the evidence's line, before the evidence starts."""
    head = text[line_start:start]
    if not head.strip():
        return None
    mentions = [m for m in geo.find_mentions(text[:start]) if getattr(m, "dateline", False)
                and line_start <= m.span.start < start]
    resolve = getattr(geo, "resolve", None)
    if not mentions or resolve is None:
        return None
    m = mentions[0]
    place = resolve(m.span.text, text=text[:start], start=m.span.start)
    return place if place is not None and place.latitude is not None else None


def _headline_attack(doc: Document, d: Draft) -> Candidate | None:
    """The headline as the context of a bare death toll, when it reports an attack with a weapon and the toll's
    sentences name neither an armed actor nor a weapon. Only deaths borrow it, and not accidental ones."""
    text = doc.text
    title = doc.title.strip()
    if not title or not text.startswith(title) or d.first.start < len(title):
        return None
    sents = [text[c.start:c.end] for c in d.cands]
    if not any(t.kind == "killed" for sent in sents for t in tolls(sent)) or any(
            _any("context", "accidental_blast", sent) for sent in sents):
        return None
    for sub, _m, _strong in classify(title):
        if any(_any("weapons", w, title) for w in WEAPON_ORDER) and _family(sub) == "violence":
            # a headline's cue is often its weapon ("Russian missile strike on Kharkiv kills 10"), inside the
            # actor's words: the whole headline is read as what comes before the cue, its actor the agent
            return Candidate(0, len(title), sub, len(title), len(title), False, [], support=True)
    return None


def _build(doc: Document, d: Draft, index: int, geo: GeocoderLike, published: dt.date | None,
           drafts: Sequence[Draft] = ()) -> Report | None:
    text = doc.text
    strong = [c for c in d.cands if c.strong]
    lead = strong[0] if strong else d.first
    evidence_c = d.first
    place = next((c.place for c in d.cands if c.own_place), None) or next(
        (c.place for c in d.cands if c.place is not None), None)
    if place is not None and place.geo_precision == 3:
        # "a village in Zamfara state" the gazetteer lacks: a town of that province the report's sentences
        # place it by ("in Talata Mafara local government area") stands for it, at precision 2
        town = next((c.place for c in d.cands if c.place is not None and c.place.geo_precision in (1, 2)
                     and c.place.admin1 == place.admin1 and c.place.country_code == place.country_code), None)
        if town is not None:
            place = replace(town, geo_precision=2, reason=f"{town.reason}; stands for a place in {place.admin1}")
    dl = _DATELINE.match(text[evidence_c.start:evidence_c.end])
    line_start = text.rfind("\n", 0, evidence_c.start) + 1
    in_dateline = bool(place and place.mention and (
        (dl and evidence_c.start <= place.mention.start < evidence_c.start + dl.end())
        or line_start <= place.mention.start < evidence_c.start))  # "ASTANA, May 4. /Agency/. Russia, Iran ..."
    if lead.sub == acled.AGREEMENT and place is not None and not any(c.own_place for c in d.cands) and not in_dateline:
        # where a deal was made is not where the article's fighting was: the dateline's city, where the
        # reporter saw it signed ("ASTANA, May 4. /Agency/. Russia, Iran and Turkey signed ..."), else the
        # country only
        place = _dateline_place(text, line_start, evidence_c.start, geo) or Place(
            location="", country_code=place.country_code, country=place.country, iso=place.iso,
            reason="no place named for the agreement; country only")
    country_code = place.country_code if place else ""
    country_name = geo.country_info(country_code)[1] if country_code else ""
    sent_actors = [(c, find_actors(text[c.start:c.end], geo.country_for_word)) for c in d.cands]
    sub = lead.sub

    def unarmed() -> bool:
        return not any(a.kind in ARMED_KINDS for _, acts in sent_actors for a in acts) and not any(
            _any("weapons", w, text[c.start:c.end]) for c in d.cands for w in WEAPON_ORDER)

    if sub not in (acled.AGREEMENT, acled.ARRESTS) and _FAMILY_NEEDS_ARMS.get(_family(sub)) and unarmed():
        headline = _headline_attack(doc, d)
        if headline is not None:
            # "29 people were killed in Kharkiv on March 1" under "Russia fired a missile into Kharkiv's
            # main square": the headline says who killed them and how
            d.cands.append(headline)
            sent_actors.append((headline, find_actors(text[headline.start:headline.end], geo.country_for_word)))
            sub = sub or headline.sub
        if headline is None or unarmed():
            # deaths, "control" or "attacks" with no armed actor and no weapon ("a deadly earthquake killed 40
            # people", "prices shot up") are no conflict event
            doc.discards.append(Discard("not_conflict:no_armed_actor", Span(evidence_c.start, evidence_c.end,
                                                                           text[evidence_c.start:evidence_c.end])))
            return None
    sub = _report_subtype(sub, [text[c.start:c.end] for c in d.cands])
    actor1, actor2, a1_span, a2_span = _actors(doc, d, sent_actors, sub, country_name, geo, drafts)
    if not sub:
        # a killing or attack with no weapon cue: armed on civilians is an Attack, armed on armed a clash
        sub = acled.ATTACK if actor2.startswith("Civilians") else acled.CLASH
        if not actor1 or actor1.startswith("Civilians"):
            return None
    if sub == acled.ARRESTS and actor1 and not actor1.startswith(("Military Forces", "Police Forces")):
        sub = acled.ABDUCTION
    if sub == acled.ATTACK and actor2 and not actor2.startswith(("Civilians", "Protesters", "Rioters")):
        sub = acled.CLASH  # ACLED: violence against civilians needs civilian victims; an attack on armed men is a battle
    if sub in (acled.ATTACK, acled.SEXUAL) and not actor2 and country_name:
        actor2 = generic_name("civilians", country_name)  # "the massacre committed in Solhan": its victims were civilians
    # date: the first day-precise date among the report's sentences, else the coarser ones, else publication
    # (1) a day on which something happened, in the report's sentences; (2) the day the lead sentence says it
    # was said; (3) the day the story just set; (4) a week or month; else the publication date
    ctx_start = 0
    hits = [h for c in d.cands for h in c.dates
            if published is None or (published - h.date).days <= BACKGROUND_DAYS]
    day = [h for h in hits if h.precision == 1]
    # "revised on Wednesday the toll of Monday's bombing": the day named as the event's own comes first
    owned = [h for c in d.cands for h in c.dates if h in day and _POSSESSIVE_DATE.match(text, c.start + h.end)]
    # "mourners gathered on Wednesday for X, who was killed when missiles struck on Monday night": the day in
    # the cue's own relative clause
    lead_sent = text[lead.start:lead.end]
    rel = max(lead_sent.rfind(", who", 0, lead.cue_start), lead_sent.rfind(", which", 0, lead.cue_start))
    if rel > 0:
        owned += [h for h in lead.dates if h in day and h.start > rel and h not in owned]
        # "Rescuers were trying on Thursday to reach people under the theatre, which officials said Russian
        # forces bombed": the day before the clause is the rescue's, not the bombing's
        day = [h for h in day if not (h in lead.dates and h.start < rel)] or day
    day = owned + [h for h in day if h not in owned]
    dl0 = _DATELINE.match(text[evidence_c.start:evidence_c.end])
    said = said_dates(text[evidence_c.start:evidence_c.end], published, skip_until=dl0.end() if dl0 else 0)
    date_hit = (day or said or [None])[0]
    if date_hit is None and index > 0 and _SAME_DAY.search(text, evidence_c.start, evidence_c.end):
        # "Earlier the same night, an air strike on Hodeidah ...": the day of the event told just before
        prev = [(c.start, h) for c in drafts[index - 1].cands for h in c.dates if h.precision == 1] if index <= len(drafts) else []
        if prev:
            ctx_start, date_hit = prev[0]
    if date_hit is None:
        date_hit, ctx_start = _date_context(text, evidence_c.start, published)
    if date_hit is None and hits:
        date_hit = sorted(hits, key=lambda h: h.precision)[0]
    if date_hit is not None and date_hit.precision <= 3:
        event_date, precision = date_hit.date.isoformat(), date_hit.precision
    elif published is not None:
        event_date, precision = published.isoformat(), 1
    else:
        event_date, precision = None, None
    # tolls across the report's sentences
    killed: list[tuple[Toll, int]] = []
    present: list[tuple[Toll, int]] = []
    overtaken: list[tuple[Toll, int]] = []
    for c in d.cands:
        sent = text[c.start:c.end]
        if _AGGREGATE.search(sent):
            continue  # "at least six people were killed across the country": a tally of many events
        for t in tolls(sent):
            if t.kind == "killed" and _superseded(text, c.start, t):
                overtaken.append((t, c.start))
            else:
                (killed if t.kind == "killed" else present if t.kind == "present" else []).append((t, c.start))
    killed = killed or overtaken
    exact = [(t, o) for t, o in killed if not t.vague]
    killed = _add_increments(exact or killed)  # "dozens" (12) only when no exact figure is given
    values = sorted({t.value for t, _ in killed})
    both = _both_sides(killed)
    if both is not None:
        values = [both]  # "one of its peacekeepers was killed" ... "at least 10 attackers were killed": 11
    share = next((c.deaths for c in d.cands if c.deaths is not None), None)
    if share is not None:  # this town's share of a listed toll
        values = [to_int(share.text) or 0]
    fatalities = values[0] if values else None
    no_deaths = None
    if not values:
        # "No deaths were reported." in the report's paragraphs: ACLED codes 0, not unknown
        last = max(c.end for c in d.cands)
        stop = _paragraphs_after(text, last, 1)
        others = [c.start for x in drafts if x is not d for c in x.cands if c.start >= last]
        no_deaths = _NO_DEATHS.search(text, d.first.start, min([stop, *others]))
        if no_deaths:
            fatalities = 0
    low, high = (values[0], values[-1]) if len(values) > 1 else (None, None)
    claim = "killed" if killed else ("present" if present else "")
    claimed_by, claim_span = "", None
    for c in [evidence_c, *[x for x in d.cands if x is not evidence_c]]:
        att = attribution(text[c.start:c.end])
        if att:
            claimed_by = att[0]
            claim_span = Span(c.start + att[1], c.start + att[2], att[0])
            break
    mentions: dict[str, Span] = {}
    mentions["event_type"] = Span(lead.start + lead.cue_start, lead.start + lead.cue_end,
                                  text[lead.start + lead.cue_start:lead.start + lead.cue_end])
    if a1_span:
        mentions["actor1"] = a1_span
    if a2_span:
        mentions["actor2"] = a2_span
    if share is not None:
        mentions["fatalities"] = share
    elif killed:
        t, off = killed[0]
        mentions["fatalities"] = Span(off + t.start, off + t.end, t.text)
    elif no_deaths:
        mentions["fatalities"] = Span(no_deaths.start(), no_deaths.end(), no_deaths.group(0))
    elif present:
        t, off = present[0]
        mentions["present"] = Span(off + t.start, off + t.end, t.text)
    if date_hit is not None:
        c0s = next((c.start for c in d.cands if date_hit in c.dates), evidence_c.start if date_hit in said else ctx_start)
        mentions["event_date"] = Span(c0s + date_hit.start, c0s + date_hit.end, date_hit.text)
    if place and place.mention:
        mentions["location"] = place.mention
    if claim_span:
        mentions["claimed_by"] = claim_span
    confidence = 0.5 + 0.2 * bool(strong) + 0.1 * bool(place and place.latitude is not None) + 0.1 * bool(actor1) \
        + 0.1 * (len(d.cands) > 1)
    return Report(
        doc_id=doc.doc_id, event_type=acled.event_type(sub), sub_event_type=sub, actor1=actor1, actor2=actor2,
        event_date=event_date, time_precision=precision, place=place, country_code=country_code,
        fatalities=fatalities, fatalities_low=low, fatalities_high=high, claimed_by=claimed_by, claim=claim,
        evidence=text[evidence_c.start:evidence_c.end], evidence_start=evidence_c.start,
        evidence_end=evidence_c.end, mentions=mentions, report_id=f"{doc.doc_id}-{index:02d}",
        confidence=round(min(confidence, 1.0), 2),
    )


PROTEST_SUBS = (acled.PEACEFUL, acled.INTERVENTION, acled.EXCESSIVE, acled.VIOLENT_DEMO, acled.MOB)


# "the same attack killed two further civilians", "three more died in hospital": deaths on top of a toll
# already given, not a competing figure
_INCREMENT = re.compile(rf"\b(?P<n>{NUMBER_WORD})\s+(?:further|more|other|additional)\b(?!\s+than)|"
                        rf"\b(?:another|a further)\s+(?P<m>{NUMBER_WORD})\b", re.I)


# A count the text itself says was overtaken: "Authorities first reported 20 dead", "by lunchtime the council
# spoke of more than twenty dead", "an earlier toll of 12". Where a current count is given too, only it counts;
# a range is for sources that disagree at the same time.
_SUPERSEDED = re.compile(
    r"\b(?:first|initially|originally|previously|at first)\s+(?:[\w'’-]+\s+){0,3}?(?:reported|said|put|gave|counted|"
    r"announced|spoke of|was|were|stood at)\b|\b(?:earlier|initial|preliminary|previous|first)\s+(?:death\s+)?"
    r"(?:toll|tolls|figure|figures|count|counts|reports?|tally)\b|\bby\s+(?:lunchtime|noon|midday|mid-?morning|"
    r"mid-?afternoon|(?:the\s+)?(?:morning|afternoon|evening)|nightfall)\b", re.I)
# A tally over many events ("at least six people were killed across the country on Tuesday"): no one event's toll
_AGGREGATE = re.compile(r"\b(?:across|throughout|around)\s+the\s+(?:country|nation)\b|\b(?:nationwide|countrywide)\b|"
                        r"\b(?:across|in)\s+(?:several|many|multiple|various|a number of|other|\w+\s+other)\s+"
                        r"(?:districts|provinces|regions|states|cities|towns|campuses)\b|"
                        r"\bacross\s+(?:\w+\s+){0,2}(?:districts|provinces|regions|states|cities|towns)\b", re.I)


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    return max(sentence_start, text.rfind(";", sentence_start, at) + 1)


def _superseded(text: str, sentence_start: int, t: Toll) -> bool:
    at = sentence_start + t.start
    return bool(_SUPERSEDED.search(text, _clause_start(text, sentence_start, at), at))


_ATTACKER_SIDE = re.compile(r"\b(?:attackers|assailants|militants|terrorists|insurgents|gunmen|rebels|jihadists|bandits|"
                            r"raiders|fighters)\b", re.I)
_DEFENDER_SIDE = re.compile(r"\b(?:soldiers?|troops|police(?:men)?|police officers?|officers?|peacekeepers?|gendarmes?|"
                            r"guards?|civilians?|servicem[ae]n|villagers|residents|worshippers|students)\b", re.I)


def _both_sides(killed: list[tuple[Toll, int]]) -> int | None:
    """The toll of an attack told side by side ("one of its peacekeepers was killed"; "at least 10 attackers
    were killed"): the dead of each side added (ACLED counts everyone killed), each side's lowest figure. Only
    when every toll names its side; a toll of "people" may already be the total."""
    sides: dict[str, list[int]] = {}
    for t, _ in killed:
        attacker, defender = bool(_ATTACKER_SIDE.search(t.text)), bool(_DEFENDER_SIDE.search(t.text))
        if attacker == defender:
            return None
        sides.setdefault("attackers" if attacker else "attacked", []).append(t.value)
    return sum(min(v) for v in sides.values()) if len(sides) == 2 else None


def _add_increments(killed: list[tuple[Toll, int]]) -> list[tuple[Toll, int]]:
    """Tolls in text order, an increment added to the toll before it ("killing a pharmacist ... the same
    attack killed two further civilians": 3)."""
    out: list[tuple[Toll, int]] = []
    for t, off in sorted(killed, key=lambda x: x[1] + x[0].start):
        inc = _INCREMENT.search(t.text)
        if out and inc and to_int(inc["n"] or inc["m"]) == t.value:  # the toll is the increment itself
            base, base_off = out[-1]
            out[-1] = (replace(base, value=base.value + t.value), base_off)
        else:
            out.append((t, off))
    return out


def _report_subtype(sub: str, sentences: list[str]) -> str:
    """What the report's sentences say together: a protest in which people are shot is Excessive force
    even if the first sentence only says they marched; gunmen storming and firing after a blast is an
    Attack on the people inside, not a remote explosive."""
    joined = " ".join(sentences)
    if sub == acled.LOOTING and any(t.kind == "killed" for x in sentences for t in tolls(x)):
        return ""  # "surrounded Karma and killed at least 136 people ... then looted and burned": the killing is the event
    if sub in PROTEST_SUBS or (sub in ("", acled.CLASH) and _any("protest", "crowd", joined)):
        if _any("protest", "mob", joined):
            return acled.MOB
        if _excessive(joined):
            return acled.EXCESSIVE
        if _any("protest", "violent", joined):
            return acled.VIOLENT_DEMO
        if _any("protest", "intervention", joined) or sub == acled.CLASH:
            return acled.INTERVENTION
        return sub if sub in PROTEST_SUBS else acled.PEACEFUL
    if sub in (acled.IED, acled.GRENADE) and _any("subtypes", acled.ATTACK, joined) is not None and _SHOOTING.search(joined):
        return acled.ATTACK
    if sub == acled.IED and re.search(r"\bwith explosives and (?:rifle|gun|small-arms|automatic) fire\b|\b(?:rifle|gun|small-arms) fire and explosives\b", joined, re.I):
        return ""  # an assault with explosives and rifles: a clash or an attack, by who was hit
    if sub in (acled.IED, acled.GRENADE) and re.search(r"\b(?:gunmen|fighters|militants|attackers)\b[^.]{0,40}\b(?:stormed|opened fire|firing|shot)\b", joined, re.I):
        return acled.ATTACK
    if sub in (acled.AIR, acled.SHELLING) and len(sentences) > 1 and _RETURN_FIRE.search(" ".join(sentences[1:])):
        # ACLED: air or artillery strikes inside a battle are the battle ("an operation with drone strikes ...
        # armed Palestinians fired at Israeli forces throughout the day")
        return acled.CLASH
    if sub == acled.SUICIDE and _GUNMEN_ON_CIVILIANS.search(joined):
        # a bomber, then gunmen firing on the families on the beach: a complex attack on civilians (ACLED codes
        # the whole as an Attack, as the devset's hotel sieges)
        return acled.ATTACK
    return sub


_RETURN_FIRE = re.compile(r"\b(?:armed (?:men|Palestinians|fighters|militants|residents)|gunmen|militants|fighters|rebels|insurgents)\s+"
                          r"(?:\w+\s+){0,2}(?:fired at|fired on|exchanged fire with|clashed with|battled|fought)\s+(?:the\s+)?(?:\w+\s+)?"
                          r"(?:forces|troops|soldiers|army|police)\b", re.I)
_GUNMEN_ON_CIVILIANS = re.compile(r"\b(?:gunmen|fighters|militants|attackers)\b[^.]{0,30}\b(?:opened fire on|fired on|shot at|sprayed)\s+"
                                  r"(?:[\w-]+\s+){0,2}(?:families|civilians|people|guests|worshippers|shoppers|residents|crowds?|passers-by|diners)\b", re.I)
CONTEXT_SENTENCES = 4  # how far back an undated report looks for the date its story is set on


_SAME_DAY = re.compile(r"\b(?:the\s+same\s+(?:night|day|morning|afternoon|evening)|(?:earlier|later)\s+(?:that|the\s+same)\s+"
                       r"(?:night|day|morning|afternoon|evening))\b", re.I)


def _date_context(text: str, before: int, published: dt.date | None) -> tuple[DateHit | None, int]:
    """An undated event sentence takes the day the text just set ("... recorded on Thursday. 1. Homs -
    drones struck the academy in the afternoon")."""
    sents = [(s, e) for s, e in split_sentences(text[:before])][-CONTEXT_SENTENCES:]
    for s, e in reversed(sents):
        sent = text[s:e]
        dl = _DATELINE.match(sent)
        hits = [h for h in find_dates(sent, published, skip_until=dl.end() if dl else 0) if h.precision == 1]
        if hits and (published is None or 0 <= (published - hits[0].date).days <= BACKGROUND_DAYS):
            return hits[0], s
    return None, 0


# -- actors ---------------------------------------------------------------------------------------------
ARMED_KINDS = ("group", "unit", "state", "police", "armed")


def _name(a: ActorMention, country_name: str, geo: GeocoderLike) -> str:
    if a.kind in ("group", "unit"):
        return a.name
    if a.kind in ("state", "police"):
        cname = geo.country_info(a.country)[1] if a.country else country_name
        return state_name(a.kind, cname) if cname else ""
    return generic_name(a.kind, country_name)


_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_TARGET = re.compile(r"\b(?:on|at|against|targeting|targeted|aimed at|hit|struck|killing|killed|belonging to|positions of|of)\s+(?:the\s+|a\s+|an\s+)?$", re.I)


def _pivot(sentence: str, actors: list[ActorMention], cue_start: int, cue_end: int | None = None) -> int:
    """Where the event verb is: the cue or the first violence word, whichever comes first outside every
    actor mention ("Syrian Arab Air Force squadrons destroyed ...": the cue "Air Force" is inside the
    actor, the verb is "destroyed")."""
    end = cue_end if cue_end is not None else cue_start + 1
    spots = [cue_start] if not any(a.start < end and cue_start < a.end for a in actors) else []
    for m in cue("violence", "verbs").finditer(sentence):
        if not any(a.start <= m.start() < a.end for a in actors):
            spots.append(m.start())
            break
    return min(spots) if spots else cue_start


_NOT_AGENT = re.compile(
    r"\b(?:at|on|against|targeting|targeted|aimed at|used by|belonging to|held by|housing|hosting|inside|into|"
    r"toward|towards|of|near|from|with|among|hit|struck|killing|killed|chase|chasing|pursue|pursuing|fight|fighting|"
    r"hunt|hunting|eliminate|eliminating)\s+(?:[\w.'’-]+\s+){0,3}$", re.I)
_CLAUSE_START = re.compile(r"\b(?:when|while|after|as|and|but|who|that|which|before|because)\s+(?:[\w'’-]+\s+){0,3}$", re.I)


_COORD_TARGET = re.compile(r"\b(?:with|against|targeting|on)\s+(?:[\w.'’-]+\s+){1,3}and\s+(?:the\s+)?$", re.I)
_MEMBERS_OF = re.compile(r"\b(?:members|fighters|militants|gunmen|elements|men|units|supporters|loyalists|hundreds|dozens|scores|"
                         r"thousands|tens|several|a group|a band|a unit|(?:a\s+)?(?:large\s+|long\s+)?(?:column|convoy|group|band|"
                         r"unit|contingent|detachment)s?)\s+(?:of|from)\s+(?:the\s+)?$", re.I)


def _not_agent(before: str) -> bool:
    """Is a mention, by the words just before it, acted on ("aimed at a base used by coalition troops")
    rather than acting ("... on 25 June when militants attacked")?"""
    if _COORD_TARGET.search(before):
        return True  # "clashing with Mozambican soldiers and Rwandan troops": both fought against
    return bool(_NOT_AGENT.search(before)) and not _CLAUSE_START.search(before) and not _MEMBERS_OF.search(before)


_FIRED_FROM = re.compile(r"\bfrom\s+(?:[\w-]+\s+){0,2}?(?:areas?|positions?|territory|territories|zones?|parts|districts?|neighbou?rhoods?)\s+"
                         r"(?:under(?:\s+the)?(?:\s+control\s+of)?|held by|controlled by)\s+(?:the\s+)?$", re.I)
_HELD_AFTER = re.compile(r"-(?:held|controlled)\b", re.I)
_VICTIM_AFTER = re.compile(r"\s+(?:(?:were|was|have been|had been|being)\s+)?(?:killed|dead|slain|shot dead|wounded|injured)\b", re.I)
# "shelled the market with 155-mm NATO artillery": the weapon, not the side hit
_WEAPONS = r"artillery|tanks?|missiles?|rockets?|drones?|jets?|aircraft|helicopters?|warplanes?|shells|howitzers?|mortars?"
_INSTRUMENT = re.compile(rf"\b(?:with|using)\s+(?:[\w.'’-]+\s+){{0,3}}(?:{_WEAPONS})$", re.I)


def _instrument(sentence: str, a: ActorMention) -> bool:
    """The weapon a side used ("... with heavy artillery", "using drones"), not a side."""
    return bool(_INSTRUMENT.search(sentence[max(0, a.start - 40):a.start] + a.text))


_SELF_CLAIM = re.compile(r"\s+(?:said|says|announced|claimed|stated)(?:\s+(?:on|in|late|early)\s+\w+)?(?:\s+that)?\s+(?:they|it|we)\s+"
                         r"(?:had\s+|have\s+|has\s+)?(?:fired|launched|carried out|struck|targeted|attacked|shot|downed|killed|conducted|"
                         r"recaptured|retook|liberated|captured|seized|took control|regained)\b", re.I)
_IN_A = re.compile(r"\b(?:in|during)\s+(?:an?|the)\s+$", re.I)
_CLASH_WITH = re.compile(r"\b(?:clash(?:es)?|fighting|encounter|gunfight|gun battle|battle|firefight|exchange of fire)\s+with\s+"
                         r"(?:the\s+)?(?:[\w.'’-]+\s+){0,2}$", re.I)
_MEMBERSHIP = re.compile(r"\b(?:belonging to|members? of|linked to|affiliated with|loyal to|suspects?|cells? of)\s+(?:the\s+)?$", re.I)
_BY_AGENT = re.compile(r"\b(?:killed|hit|struck|fired|launched|carried out|conducted|targeted|attacked|bombed|shelled|wounded|"
                       r"injured|caused|destroyed|damaged)\s+by\s+(?:the\s+|an?\s+)?(?:[\w.'’-]+\s+)?$", re.I)  # "killed by the Russian missile"
_COUNTING = re.compile(r"\b(?:revised|updated|raised|lowered|counted|recorded|documented|tallied|put the (?:death )?toll|"
                       r"gave (?:a|the) (?:death )?toll)\b", re.I)
_AGENT_AFTER = re.compile(r"\b(?:by|when|during|as|after|in|from)\s+(?:an?\s+|the\s+)?(?:[\w.'’-]+\s+){0,2}$", re.I)
_PASSIVE = re.compile(r"\b(?:were|was|been|being|are|is|got)\s+(?:\w+ly\s+|also\s+|all\s+)?$", re.I)
_REPORTING_THAT = re.compile(r"\b(?:said|says|announced|reported|stated|confirmed|claimed|told [\w ]{1,30}?)\s+(?:on \w+\s+)?that\b", re.I)


_REPELLED_BY = re.compile(r"\b(?:repelled|repulsed|pushed back|beaten back|fought off|foiled|thwarted|"
                          r"warded off)\s+by\s+(?:the\s+)?(?:[\w'’-]+\s+(?:and\s+)?){0,3}$", re.I)
_NOT_VICTIM = re.compile(r"\b(?:co-?operation|help|support|assistance|backing|consent|welfare|will|behalf|sake|"
                         r"name|blessing|interests?)\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+(?:and\s+)?){0,3}$", re.I)


def _roles(sentence: str, actors: list[ActorMention], cue_start: int,
           cue_end: int | None = None, *, nearest_first: bool = False) -> tuple[ActorMention | None, ActorMention | None]:
    """actor1 acts, actor2 is acted on: the armed subject before the event verb (or the agent after "by",
    "during a X bombardment", "X's attack"), and the first armed actor (else civilians) after it."""
    att = attribution(sentence)
    if att and _SELF_CLAIM.match(sentence, att[2]):
        att = None  # "the Revolutionary Guards said on Tuesday they had fired missiles": the source did it
    if att:  # ", the Russian Defence Ministry said": the source is neither side
        actors = [a for a in actors if not (att[1] <= a.start < att[2])]
    rep = _REPORTING_THAT.search(sentence)
    pivot = _pivot(sentence, actors, cue_start, cue_end)
    if rep and rep.end() <= pivot:  # "The SDF announced that four of its fighters were killed when ..."
        actors = [a for a in actors if a.start >= rep.end()]
    armed = [a for a in actors if a.kind in ARMED_KINDS]
    agent: ActorMention | None = None
    targets_before: list[ActorMention] = []  # "a rocket barrage aimed at a base used by coalition troops"
    clause = max(sentence.rfind(",", 0, pivot), sentence.rfind(";", 0, pivot))
    passive_verb = _PASSIVE.search(sentence[:pivot])
    for a in armed:
        if a.end <= pivot + 1:
            if _COUNTING.search(sentence, a.end, pivot):
                continue  # "Police revised the number of people killed": the source of a toll, not a side
            if _instrument(sentence, a):
                continue  # "bombarded the hospital with heavy artillery, killing ...": the weapon, not a side
            if _not_agent(sentence[max(0, a.start - 45):a.start]) or passive_verb:
                # "a base used by coalition troops", "Twenty soldiers were killed": acted on, not acting
                targets_before.append(a)
            elif agent is None or (agent.start < clause < a.start):
                agent = a  # the subject of the clause that holds the verb
    passive = agent is None
    if agent is None:
        for a in armed:
            ctx = sentence[max(0, a.start - 30):a.start]
            if a.start >= pivot and (not _not_agent(ctx) or _BY_AGENT.search(ctx)
                                     or (_IN_A.search(ctx) and (a.kind == "group" or a.country))) and (
                    _AGENT_AFTER.search(ctx) or sentence[a.end:a.end + 2] in ("'s", "’s")):
                agent = a  # "killed on Wednesday in an Israeli air strike"
                break
    if agent is None and passive_verb:
        # "Three NPA members were killed in a clash with government troops": the other side acted
        agent = next((a for a in armed if a.start >= pivot and _CLASH_WITH.search(sentence[max(0, a.start - 45):a.start])), None)
    between = _BETWEEN.search(sentence)
    if between is not None:
        # "fighting between (two factions,) the 444 Brigade and the Special Deterrence Force": the first named, then the second
        pair = [a for a in armed if a.start >= between.end()][:2]
        if len(pair) == 2 and re.fullmatch(r"\s*(?:and|,)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}", sentence[pair[0].end:pair[1].start]):
            return pair[0], pair[1]
    origin = next((a for a in armed if _FIRED_FROM.search(sentence[max(0, a.start - 70):a.start]) or (
        _HELD_AFTER.match(sentence, a.end) and re.search(r"\bfrom\s+(?:the\s+)?$", sentence[max(0, a.start - 12):a.start]))), None)
    if origin is not None and (agent is None or agent.kind == "armed"):
        agent = origin  # "shells launched from areas under M23 control", "fired from RSF-held positions"
    if agent is not None and agent.kind == "armed":
        # "Militants of the Azov battalion", "gunmen from Boko Haram": the named actor is the agent
        nxt = [a for a in armed if a.start > agent.end and a.kind != "armed"]
        if nxt and re.fullmatch(r"\s+(?:of|from)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}", sentence[agent.end:nxt[0].start]):
            agent = nxt[0]
    if agent is not None and agent.kind == "state" and not agent.country and _WEAPON_WORDS.search(agent.text):
        # "artillery shells fired by the Rapid Support Forces": the weapon's user acts
        user = next((a for a in armed if a.start > agent.end and _FIRED_BY.fullmatch(sentence[agent.end:a.start])), None)
        if user is not None:
            weapon = agent
            actors = [a for a in actors if a is not weapon]
            armed = [a for a in armed if a is not weapon]
            agent = user
    if agent is not None and cue("subtypes", acled.CLASH).match(sentence, pivot):
        # "The Fano militia and government troops clashed": the second side is named beside the first
        partner = next((a for a in armed if agent.end <= a.start < pivot
                        and re.fullmatch(r"\s*(?:[\w-]+\s+)?(?:and|,)\s+(?:[\w-]+\s+){0,2}", sentence[agent.end:a.start])), None)
        if partner is not None:
            return agent, partner
    if agent is not None and agent.start >= pivot:
        # named after the verb ("... killing six people, fire launched from positions held by M23"): the
        # people between the verb and the agent are still the ones acted on
        rest = [a for a in actors if a is not agent and not (agent.start <= a.start < agent.end)]
    else:
        rest = [a for a in actors if a is not agent and not (agent and a.start < agent.end)]
    # "with the cooperation of free people inside the kingdom", "on behalf of the people": not who was hit
    rest = [a for a in rest if not (a.kind == "civilians" and _NOT_VICTIM.search(sentence, 0, a.start))]
    after = [a for a in rest if a.start >= pivot]
    after = [a for a in after if not _instrument(sentence, a)]
    if agent is not None and agent.kind == "state" and agent.country:
        # "Israeli forces launched an operation involving hundreds of troops": the agent's own troops
        after = [a for a in after if not (a.kind == "state" and not a.country)]
    named_after = [a for a in after if a.kind in ("group", "unit", "state", "police")]
    armed_after = [a for a in after if a.kind in ARMED_KINDS]
    civilians = [a for a in rest if a.kind == "civilians" and (passive or a.start >= pivot)]
    # "the number of people killed when gunmen stormed the town": victims named before the agent
    civilians += [a for a in actors if a.kind == "civilians" and a not in civilians and _VICTIM_AFTER.match(sentence, a.end)]
    targets_before = [a for a in targets_before if a is not agent]
    # an armed group hit is actor2 even when civilians die too (ACLED); else whoever is hit first
    nearest = sorted((a for a in after if a.kind in ("armed", "civilians")), key=lambda a: a.start)
    if nearest_first:
        # who was arrested or abducted is the object of the verb ("detained a Kramatorsk man ... passing
        # footage to Russian forces"), not a force named further on
        if not (named_after and _MEMBERSHIP.search(sentence[max(0, named_after[0].start - 40):named_after[0].start])):
            named_after = sorted(named_after + nearest, key=lambda a: a.start)[:1]
    patient = (targets_before or named_after or nearest or civilians or [None])[0]
    if agent is not None and _REPELLED_BY.search(sentence, 0, agent.start):
        # "an attack on the post was repelled by the army": the army defended; who attacked is not said
        return None, agent
    return agent, patient


def _actors(doc: Document, d: Draft, sent_actors: list[tuple[Candidate, list[ActorMention]]], sub: str,
            country_name: str, geo: GeocoderLike, drafts: Sequence[Draft] = ()) -> tuple[str, str, Span | None, Span | None]:
    text = doc.text

    def span(c: Candidate, a: ActorMention | None) -> Span | None:
        return Span(c.start + a.start, c.start + a.end, a.text) if a else None

    if sub == acled.AGREEMENT:
        c, acts = sent_actors[0]
        sent = text[c.start:c.end]
        dl = _DATELINE.match(sent)
        body = sent[dl.end():] if dl else sent
        found: list[tuple[int, str]] = []
        for m in re.finditer(r"\b[A-Z][a-z]+(?:'s)?\b", body):
            code = geo.country_for_word(m.group(0).removesuffix("'s"))
            if code and code not in [x for _, x in found]:
                found.append((m.start(), code))
        cue_at = c.cue_start - (dl.end() if dl else 0)
        subject = [x for pos, x in found if pos < cue_at] or [x for _, x in found]
        # "Russia, Iran and Turkey signed": the first and the last named parties; the others are associates
        pair = [subject[0], subject[-1]] if len(subject) > 1 else subject
        names = [government_name(geo.country_info(x)[1]) for x in pair]
        return (names[0] if names else "", names[1] if len(names) > 1 else "", None, None)
    if sub in (acled.PEACEFUL, acled.INTERVENTION, acled.EXCESSIVE, acled.VIOLENT_DEMO, acled.MOB):
        kind = "rioters" if sub in (acled.VIOLENT_DEMO, acled.MOB) else "protesters"
        a1 = generic_name(kind, country_name)
        a2, a2s = "", None
        if sub != acled.PEACEFUL:
            for c, acts in sent_actors:
                st = [a for a in acts if a.kind in ("state", "police", "unit")]
                if st:
                    a2, a2s = _name(st[0], country_name, geo), span(c, st[0])
                    break
        return a1, a2, None, a2s
    a1 = a2 = ""
    a1s = a2s = None
    # actor1, in order of trust: a named agent of the lead sentence, a named agent of the report's other
    # sentences, the article's responsibility claims, the lead sentence's unnamed state forces ("warplanes",
    # "security forces": the event's country), a generic agent ("gunmen"), else Unidentified Armed Group.
    named: list[tuple[str, Span | None]] = []
    unresolved: list[tuple[str, Span | None]] = []
    generic: list[tuple[str, Span | None]] = []
    for c, acts in sent_actors:
        agent, patient = _roles(text[c.start:c.end], acts, c.cue_start, c.cue_end,
                                nearest_first=sub in (acled.ARRESTS, acled.ABDUCTION))
        if agent is not None:
            name = _name(agent, country_name, geo)
            if agent.kind == "armed" and _DEFINITE_ACTOR.search(
                    text[max(c.start, c.start + agent.start - 20):c.start + agent.start]):
                # "the group", "its fighters": the armed group the article has already named
                named_group = _main_group(doc, geo, c.start)
                if named_group:
                    named.append((named_group, span(c, agent)))
            if agent.kind in ("state", "police") and not agent.country:
                if _AIR_WORDS.search(agent.text) or _WEAPON_WORDS.search(agent.text):
                    # "warplanes", "drones": whose they were is said elsewhere, or the event's country's
                    if c is d.first or c.strong:
                        unresolved.append((name, span(c, agent)))
                elif name and c is d.first:
                    # "the army", "security forces" with no nationality: the event country's own forces
                    named.insert(0, (name, span(c, agent)))
            elif agent.kind == "armed":
                generic.append((name, span(c, agent)))
            elif name:
                named.append((name, span(c, agent)))
        if patient is not None and _elsewhere(text[c.start + patient.end:c.end], country_name, geo):
            patient = None  # "... in Erbil, and at Islamic State targets in Syria": not this event's target
        if patient is not None and (not a2 or (a2.startswith("Unidentified") and patient.kind in ("group", "unit"))):
            name = _name(patient, country_name, geo)
            if patient.kind == "armed" and _DEFINITE_ACTOR.search(
                    text[max(c.start, c.start + patient.start - 20):c.start + patient.start]):
                name = _main_group(doc, geo, c.start) or name  # "four of its fighters"
            if name and not any(name == n for n, _ in named[:1]):
                a2, a2s = name, span(c, patient)
    if named:
        a1, a1s = named[0]
    if not a1:
        a1, a1s = _attributed(doc, d, geo, country_name, air=bool(unresolved), drafts=drafts)
    if not a1 and unresolved:
        a1, a1s = _aircraft_were(doc, geo)  # "... which is why they believe the aircraft were Russian"
    if not a1 and unresolved:
        a1, a1s = unresolved[0]
        if a1 == a2:
            # "drones struck the Military Academy in Homs": unnamed aircraft do not strike their own side
            a1, a1s = generic_name("armed", country_name), None
    if not a1 and generic:
        a1, a1s = generic[0]
    if (not a1 or a1.startswith("Unidentified")) and _BARE_COALITION.search(text[d.first.start:d.first.end]):
        # "a coalition strike on Hodeidah": the coalition the article names in full ("the Saudi-led coalition")
        full = [a for a in find_actors(text, geo.country_for_word) if a.kind == "unit" and "coalition" in a.text.lower()]
        if full:
            a1, a1s = full[0].name, None
    if not a1 and sub == acled.AIR:
        a1, a1s = _air_power(doc, d, geo, country_name)
    if not a1 and sub and acled.event_type(sub) in ("Explosions/Remote violence", "Violence against civilians", "Battles"):
        a1 = generic_name("armed", country_name)
    if a2 == a1:
        a2, a2s = "", None
    city = _dateline_city(text)
    return _with_country(a1, country_name, city), _with_country(a2, country_name, city), a1s, a2s


_IDENTITY_MILITIA = ("Ethnic Militia", "Communal Militia", "Tribal Militia", "Clan Militia")


def _with_country(name: str, country_name: str, dateline: str = "") -> str:
    """ACLED names an identity militia with the country it fights in ("Fulani Ethnic Militia (Nigeria)"), and
    a de facto authority's forces abroad, or in its own communiqués, as the authority ("Military Forces of
    Yemen" in Saudi Arabia, or in a statement filed from Sanaa)."""
    if name.endswith(_IDENTITY_MILITIA) and country_name:
        return f"{name} ({country_name})"
    return de_facto_abroad(name, country_name, dateline)


_DATELINE_CITY = re.compile(r"([A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]+){0,2})\s*(?:,|\(|\s[-–—]\s)")


def _dateline_city(text: str) -> str:
    """The city of the article's dateline ("SANAA - ...", "Sanaa, March 6 -"), from its first lines; else ""."""
    for line in text.split("\n", 4)[:4]:  # asked once per report: not a split of the whole article
        m = _DATELINE_CITY.match(line)
        if m and len(line) > 60:  # a paragraph that opens with a dateline, not a short heading
            return m.group(1)
    return ""


def _elsewhere(after: str, country_name: str, geo: GeocoderLike) -> bool:
    m = re.match(r"\s+(?:[a-z]+\s+){0,2}in\s+([A-Z][\w'’-]+)", after)
    if not m or not country_name:
        return False
    code = geo.country_for_word(m.group(1))
    return bool(code) and geo.country_info(code)[1] != country_name


_BETWEEN = re.compile(r"\b(?:fighting|clashes|battles?|gun ?battles?|hostilities|heavy clashes)\s+between\s+", re.I)
_WEAPON_WORDS = re.compile(rf"\b(?:{_WEAPONS}|gunships?)\b", re.I)
_FIRED_BY = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:fired|launched|dropped|operated|used|flown)\s+by\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}", re.I)
_BARE_COALITION = re.compile(r"\b(?:the|a|an)\s+coalition\b", re.I)
_AIR_WORDS = re.compile(r"\b(?:warplanes?|war planes?|jets?|aircraft|planes?|helicopters?|gunships?|drones?|bombers?|"
                        r"aviation|air force|air forces|F-16s?|Su-\d+|MiG)\b", re.I)
_DEFINITE_ACTOR = re.compile(r"\b(?:the|its|their|this|that)\s+(?:\w+\s+)?$", re.I)


NEIGHBOUR_PARAGRAPHS = 3  # how far around a report its article may name its perpetrator


def _neighbourhood(text: str, at: int) -> tuple[int, int]:
    """From two paragraphs before `at` to two after: where an article names who did what it reports."""
    lo = at
    for _ in range(NEIGHBOUR_PARAGRAPHS - 1):
        lo = max(0, text.rfind("\n", 0, max(0, lo - 1)))
    hi = at
    for _ in range(NEIGHBOUR_PARAGRAPHS):
        nxt = text.find("\n", hi + 1)
        hi = nxt if nxt >= 0 else len(text)
    return lo, hi


def _main_group(doc: Document, geo: GeocoderLike, at: int) -> str:
    """The named armed group most mentioned before `at` in its neighbourhood (the antecedent of "the
    group", "its fighters", "the attackers"); a roundup's other paragraphs are other stories."""
    text = doc.text
    lo, _ = _neighbourhood(text, at)
    counts = _group_counts(text[lo:at], geo)
    if not counts and lo > 0 and not any(_heading(ln) for ln in text[:lo].splitlines()[1:]):
        # further back, only an article about one group names the antecedent ("the gang" three paragraphs
        # after "Gran Grif gunmen stormed the town"); several groups, or section headings (a roundup), are
        # several stories
        earlier = _group_counts(text[:lo], geo)
        counts = earlier if len(earlier) == 1 else {}
    return max(sorted(counts), key=lambda k: counts[k]) if counts else ""


# A sentence that names groups only to say they did not do it, or might have ("the occupier will find no
# safe corner" says nothing of the kind, and its group stays an antecedent)
_NO_ANTECEDENT = re.compile(
    r"\b(?:no (?:\w+ )?(?:group|one|organi[sz]ation|faction|claim)s?|nobody|(?:not|never)\b[^.;]{0,30}\bclaim\w*|"
    r"denied|denies|deny|linked to|active in|suspected|suspects?)\b", re.I)


def _heading(line: str) -> bool:
    """A line without a sentence's end that is not just a date: a roundup's section heading."""
    ln = line.strip()
    return bool(ln) and not _TERMINAL.search(ln) and not (len(ln) < 60 and parse_date(ln) is not None)


def _group_counts(text: str, geo: GeocoderLike) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s, e in split_sentences(text):
        sent = text[s:e]
        if _NO_ANTECEDENT.search(sent):
            continue  # "no group has claimed it; groups linked to IS are active": no antecedent
        for a in find_actors(sent, geo.country_for_word):
            if a.kind == "group":
                counts[a.name] = counts.get(a.name, 0) + 1
    return counts


_RESPONSIBILITY = re.compile(
    r"(?P<before>claimed responsibility|claimed (?:the|its) (?:attack|strike|bombing|operation)|carried out the (?:attack|strike|operation|bombing|massacre)|"
    r"(?:was|were) behind|(?:is|are|was|were) responsible for)|"
    r"(?P<after>attributed\b[^.;]{0,60}?\bto\b|blamed\b(?:[^.;]{0,40}?\bon\b)?|claimed by|"
    r"describ(?:e|es|ed) (?:them|the attackers|the killers|the gunmen) as|identified (?:them|the attackers) as|suspected)",
    re.I,
)


def _belongs_elsewhere(at: int, d: Draft, drafts: Sequence[Draft]) -> bool:
    """Is the sentence at `at` nearer (after) another report of the document than this one: in a roundup,
    "The BLA claimed responsibility" under the Quetta bombing is not about the Kurram ambush below it."""
    own = max((c.start for c in d.cands if c.start <= at), default=-1)
    other = max((c.start for x in drafts if x is not d for c in x.cands if c.start <= at), default=-1)
    return other > own


def _attributed(doc: Document, d: Draft, geo: GeocoderLike, country_name: str, *, air: bool,
                drafts: Sequence[Draft] = ()) -> tuple[str, Span | None]:
    """Who the article says did it, when the event sentence does not: a responsibility claim or an
    attribution elsewhere in the text ("attributed the raids to Russian aircraft"). A group that is blamed
    but denies it stays unidentified (ACLED codes what is established, not the accusation)."""
    text = doc.text
    days = {x for c in d.cands for x in _day_dates(c)}
    published = dt.date.fromisoformat(doc.published) if doc.published else None
    for s, e in split_sentences(text):
        sent = text[s:e]
        m = _RESPONSIBILITY.search(sent)
        if m and drafts and _belongs_elsewhere(s, d, drafts):
            continue
        if m and days and any(h.precision == 1 and h.date not in days for h in find_dates(sent, published)):
            continue  # "followed the 1 October bombing, which was claimed by the PKK": another event's claim
        if not m or re.search(r"\b(?:denied|deny|denies|not|no)\b", _same_clause(sent, m.start(), m.end()), re.I):
            continue
        if re.match(r"\W*(?:no|none|nobody|neither)\b", sent[:m.start()], re.I) and not re.search(
                r"\bbut\b|;", sent[:m.start()]):
            continue  # "No group linked to Kata'ib Hezbollah has claimed the attack": a long subject, still no claim
        acts = find_actors(sent, geo.country_for_word)
        armed = [a for a in acts if a.kind in ("group", "unit", "state", "police")]
        if m.group("after"):
            # the one blamed is named right after the word, in its clause ("blamed Pakistan and summoned its
            # ambassador; Islamabad ... called on the Taliban authorities": not the Taliban)
            armed = [a for a in armed if m.end() <= a.start <= m.end() + 60 and not re.search(r"[;:]", sent[m.end():a.start])]
        else:
            armed = [a for a in armed if a.end <= m.start()]  # the sentence's subject: "Al Shabaab, allied with al Qaeda, said ..."
        if air and "attribut" in m.group(0).lower():
            armed = [a for a in armed if a.kind in ("state", "unit")] or armed
        if air and not armed and m.group("after"):
            # "Taliban officials blamed Pakistan": aircraft are a state's, so a country blamed is its air force
            cm = re.match(r"\s+(?:the\s+)?([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?)", sent[m.end():])
            code = geo.country_for_word(cm.group(1)) if cm else None
            if code and cm is not None:
                name = state_name("state", geo.country_info(code)[1])
                if not _denied(text, ActorMention(m.end() + cm.start(1), m.end() + cm.end(1), cm.group(1), "state",
                                                  country=code), name):
                    return name, Span(s + m.end() + cm.start(1), s + m.end() + cm.end(1), cm.group(1))
        if armed:
            a = armed[0]
            name = _name(a, country_name, geo)
            if name and not _denied(text, a, name):
                return name, Span(s + a.start, s + a.end, a.text)
    return "", None


_AIRCRAFT_WERE = re.compile(r"\b(?:aircraft|planes?|jets?|warplanes?|helicopters?)\s+(?:were|was)\s+(?:probably\s+|likely\s+|"
                            r"most likely\s+|almost certainly\s+)?(?P<adj>[A-Z][a-z]+)\b")


def _aircraft_were(doc: Document, geo: GeocoderLike) -> tuple[str, Span | None]:
    """Unnamed warplanes the article says were a country's ("they believe the aircraft were Russian")."""
    for m in _AIRCRAFT_WERE.finditer(doc.text):
        code = geo.country_for_word(m.group("adj"))
        if code:
            return state_name("state", geo.country_info(code)[1]), Span(m.start("adj"), m.end("adj"), m.group("adj"))
    return "", None


_AIR_BY = re.compile(r"^\s+(?:[\w-]+\s+){0,4}?by\s+(?:the\s+)?$", re.I)


def _air_power(doc: Document, d: Draft, geo: GeocoderLike, country_name: str) -> tuple[str, Span | None]:
    """Whose an unattributed air strike was, when the article around it names the side that flies them
    ("several nights of air raids by the Saudi-led coalition", "coalition warplanes"): ACLED gives an air
    strike to the side with the aircraft when the report does not."""
    text = doc.text
    lead = next((c for c in d.cands if c.sub == acled.AIR), d.first)
    drone = "drone" in text[lead.start + lead.cue_start:lead.start + lead.cue_end].lower()
    near = _neighbourhood(text, d.first.start)
    for lo, hi in (near, (0, len(text))):  # around the report first, then the whole article
        for s, e in split_sentences(text[lo:hi]):
            sent = text[lo + s:lo + e]
            # drones and warplanes are told apart: a side that flies drones need not fly jets ("air raids")
            air = [m for m in cue("weapons", acled.AIR).finditer(sent) if ("drone" in m.group(0).lower()) == drone]
            if not air:
                continue
            for a in find_actors(sent, geo.country_for_word):
                if a.kind not in ("group", "unit", "state") or (a.kind == "state" and not a.country):
                    continue
                if any(_AIR_BY.match(sent[m.end():a.start]) or (0 <= m.start() - a.end <= 1) for m in air):
                    name = _name(a, country_name, geo)
                    if name:
                        return name, Span(lo + s + a.start, lo + s + a.end, a.text)
    return "", None


def _same_clause(sent: str, start: int, end: int) -> str:
    """The 40 characters before a claim word and the word, cut at a ", but" or ";": "No group claimed
    responsibility, but officials blamed Boko Haram" is not a denial of the blame."""
    before = sent[max(0, start - 40):start]
    cut = max(before.rfind(", but"), before.rfind(";"), before.rfind(" but "))
    return (before[cut:] if cut >= 0 else before) + sent[start:end]


def _denied(text: str, a: ActorMention, name: str) -> bool:
    words = {a.text, name, *name.split()[-1:]}
    return any(re.search(rf"\b{re.escape(w)}\b[^.]{{0,60}}\b(?:denied|rejected|disowned)\b", text) for w in words if len(w) > 3)


def code_documents(docs: Sequence[Document], geo: GeocoderLike) -> list[Document]:
    return [code_document(doc, geo) for doc in docs]


CoderFn = Callable[[Document, GeocoderLike], Document]
