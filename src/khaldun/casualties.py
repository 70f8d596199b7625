"""Death tolls and claims in a sentence: deaths only, not the wounded, not people present.

ACLED-NOTES.md §1.6/§7: "tens" = 10, "dozens" = 12, "hundreds" = 100; injuries and attendance are not
fatalities; a subset ("35 of those killed were civilians") is not a second toll.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .heads import PatternSet

WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
    "dozens": 12, "dozens of": 12, "tens": 10, "tens of": 10, "scores": 20, "scores of": 20, "hundreds": 100,
    "hundreds of": 100, "a hundred": 100, "several": 3, "a few": 3, "at least one": 1,
}
_NUMWORD = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|a dozen|dozens(?: of)?|tens(?: of)?|scores(?: of)?|hundreds(?: of)?|a hundred|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|an?)"
)
NUMBER_WORD = _NUMWORD  # a number in digits or words, for other modules' patterns (`to_int` reads it)
_QUAL = r"(?:(?:at least|more than|over|some|about|around|nearly|almost|up to|as many as|approximately|roughly|an estimated|a total of|another|a further)\s+)?"
_WHO = (
    r"(?:[A-Za-z][\w'-]*\s+){0,3}?(?:people|persons|civilians|soldiers|troops|fighters|militants|members|police(?:men| officers)?|"
    r"officers|children|women|men|worshippers|students|pupils|girls|boys|protesters|demonstrators|villagers|residents|"
    r"passengers|attackers|assailants|gunmen|terrorists|insurgents|jihadists|commanders|leaders|guards|contractors?|"
    r"personnel|servicemen|combatants|shoppers|traders|farmers|guests|staff|workers|patients|others|"
    r"person|civilian|soldier|child|woman|man|officer|member|guard|policeman|fighter|militant|journalist|journalists|"
    r"security (?:forces|personnel)|recruits|cadets|conscripts|gendarmes?|militiamen|volunteers|paramilitaries|"
    r"crew members?|crewmen|sailors|seafarers|peacekeepers?|nationals|citizens|Iraqis|Syrians|Afghans|Somalis|"
    r"Ukrainians|Palestinians|Israelis|Yemenis|Nigerians|Sudanese|Kurds|(?-i:[A-Z][a-z]+(?:ans|ians|is|ese)))"
)
_KILL = r"(?:killed|dead|died|slain|lost their lives|were executed|perished|massacred|shot dead|murdered|martyred|neutrali[sz]ed|eliminated)"

_PATTERNS = [
    # "killing at least 37 people", "killed six civilians", "killed a foreign civilian contractor"
    re.compile(rf"\b(?:killing|killed|kills|left|leaving|claimed the lives of|massacred|slaughtered|shot dead|executed|"
               rf"eliminating|eliminated|neutrali[sz]ing|neutrali[sz]ed)\s+{_QUAL}(?P<n>{_NUMWORD})\b(?!\s*(?:%|per ?cent|km|miles|kilomet|metres|meters|hours|days|minutes|years|rockets|missiles|drones|targets|positions|vehicles|tanks|depots|launchers|hideouts|bases|warehouses|command posts|firing points))(?P<who>\s+{_WHO})?(?!\s+(?:wounded|injured|hurt))", re.I),
    # "Twenty soldiers and one civilian were killed": one toll of 21
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})\s+and\s+(?P<n2>{_NUMWORD})\s+{_WHO}\s+(?:(?:were|was|have been|had been|are|reportedly|also|all)\s+){{1,3}}{_KILL}\b", re.I),
    # "At least ten soldiers and several insurgents were killed": ten, the only figure
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})\s+and\s+(?:several|some|a number of|many|other|more|an unknown number of)\s+{_WHO}\s+(?:(?:were|was|have been|had been|reportedly|also|all)\s+){{1,3}}{_KILL}\b", re.I),
    # "Three members of the New People's Army (NPA) were killed"
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})\s+of\s+(?:the\s+)?(?-i:(?:[A-Z][\w'’.-]*\s+){{1,5}}(?:\([A-Z-]{{2,8}}\)\s+)?)(?:(?:were|was|have been|had been|reportedly|also|all)\s+){{1,3}}{_KILL}\b", re.I),
    # "Three crew members of a Greek-managed bulk carrier were killed"
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})\s+of\s+(?:a|an|the|their|its)\s+[^,.;]{{1,50}}?\s+(?:were|had been|have been)\s+{_KILL}\b", re.I),
    # "37 people were killed", "at least 21 dead", "six civilians died"
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})?\s+(?:(?:were|was|have been|had been|are|being|been|reportedly|later|also|all)\s+){{0,3}}{_KILL}\b", re.I),
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})(?:\s+of\s+(?:our|the|their|its|his|her)\s+[\w-]+)?,\s+(?:among them|including|most of them|many of them|mostly)\s+[^,.;]{{1,80}},\s+(?:(?:were|was|have been|had been|reportedly|also|all)\s+){{1,3}}{_KILL}\b", re.I),
    # "the death toll rose to 43", "a toll of 21", "the number of dead reached 30"
    re.compile(rf"\b(?:death toll|toll|number of (?:the )?dead|number of deaths|fatalities|deaths)\s+(?:[\w-]+\s+){{0,7}}?(?:to|at|of|reached|was|is|stood at|stands at|hit)\s+{_QUAL}(?P<n>{_NUMWORD})\b", re.I),
    re.compile(rf"\b(?:death toll|toll|number of (?:the )?dead|number of deaths)\b[^.;]{{0,120}}?\b(?:climbed|risen|rose|rises|reached|increased|grown|gone up|jumped|revised|raised|lowered)\s+(?:to\s+)?{_QUAL}(?P<n>{_NUMWORD})\b(?!\s+(?:wounded|injured|hurt))", re.I),
    re.compile(rf"\b(?:revised|raised|lowered|updated|put|increased)\s+the (?:death toll|toll|number of (?:\w+\s+)?(?:killed|dead|deaths))\b[^.;]{{0,120}}?\s+to\s+{_QUAL}(?P<n>{_NUMWORD})\b(?!\s+(?:wounded|injured|hurt))", re.I),
    # "documented the death of four members of the SDF"
    re.compile(rf"\b(?:the )?deaths? of\s+{_QUAL}(?P<n>{_NUMWORD})(?P<who>\s+{_WHO})", re.I),
    # "the number of people killed in a string of explosions ... has climbed to 50"
    re.compile(rf"\bnumber of (?:\w+\s+)?(?:killed|dead)\b[^.;]{{0,120}}?\b(?:climbed|risen|rose|reached|increased|grown|gone up)\s+to\s+{_QUAL}(?P<n>{_NUMWORD})\b", re.I),
    # "At least 55 of our compatriots, most of them students, were martyred"
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})\s+of\s+(?:our|the|their|its)\s+[\w-]+(?:,[^,.;]{{1,60}},)?\s+(?:were|have been|had been)\s+{_KILL}", re.I),
    # a named person: "killing Dr. Amna Bakhit", "killed journalist Shireen Abu Akleh" (one death)
    re.compile(r"\b(?:killing|killed|assassinated|shot dead)\s+(?P<n>)(?:Dr\.|Mr\.|Mrs\.|Ms\.|Sheikh|Imam|Father|Col\.|Colonel|Gen\.|General|Major|Captain|"
               r"journalist|pharmacist|doctor|activist|commander|judge|lawmaker|MP|mayor|governor)\s+[A-Z][a-z]+"),
    # "killing Abu Sayed, a student coordinator of the movement": a named person, said who he was (one death)
    re.compile(r"\b(?:killing|killed|shot dead)\s+(?P<n>)(?:[A-Z][a-z'’-]+\s+){1,3}[A-Z][a-z'’-]+(?=,\s+(?:an?|the)\s+[a-z])"),
    # "Hezbollah commander Mohammed Nasser was killed": a named person (one death)
    re.compile(r"\b(?P<n>)(?:commander|leader|journalist|activist|general|colonel|officer|cleric|imam|mayor|governor)\s+"
               r"(?:[A-Z][\w'’-]+\s+){1,3}(?:was|has been|had been)\s+(?:killed|assassinated|shot dead)\b"),
    # "killing the driver": one death
    re.compile(r"\b(?:killing|killed|shot dead)\s+(?P<n>)(?:the|one|an?)\s+(?:[a-z]+\s+)?(?:driver|man|woman|boy|girl|child|civilian|soldier|"
               r"policeman|police officer|officer|farmer|shepherd|teenager|pharmacist|doctor|nurse|teacher|journalist|worker|"
               r"passenger|resident|guard|imam|priest|minister|governor|mayor|commander)\b(?!\s+and\s+(?:\w+\s+)?(?:his|her|their)\b)"),
    # "one of its peacekeepers from the Rwandan contingent was killed": one death
    re.compile(r"\b(?P<n>)(?:[Oo]ne)\s+of\s+(?:its|their|the|our|his)\s+(?:[\w-]+\s+){0,5}?(?:was killed|died|lost (?:his|her) life)\b"),
    # "A student coordinator of the reform movement was killed": one death (not "... and a civilian was
    # killed", which adds to the toll before it)
    re.compile(r"(?<!and )\b(?P<n>)(?:[Aa]n?|One|one)\s+(?:[a-z][\w-]*\s+){0,3}?(?:student|protester|demonstrator|activist|coordinator|"
               r"leader|man|woman|boy|girl|child|civilian|soldier|policeman|police officer|officer|farmer|shepherd|teenager|"
               r"doctor|nurse|teacher|journalist|worker|passenger|resident|guard|driver)(?:\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?[\w-]+)?"
               r"\s+(?:was|has been|had been)\s+(?:killed|shot dead|shot and killed)\b"),
    # "43 deaths", "21 fatalities"; bodies only when they were brought in or recovered
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})\s+(?:deaths|fatalities|martyrs)\b", re.I),
    re.compile(rf"\b{_QUAL}(?P<n>{_NUMWORD})\s+(?:dead\s+)?bodies\s+(?:were|have been|had been)?\s*(?:brought|recovered|found|pulled|taken|retrieved|counted|received)", re.I),
]
_AND_MORE = re.compile(rf"(?:\s+(?:of|from|in)\s+(?:the\s+)?[\w() -]{{1,50}}?)?\s*,?\s+and\s+(?P<n>{_NUMWORD})\s+(?:(?:other|more)\s+{_WHO}|(?:[A-Z][\w.-]*\s+)?(?:service members|servicemen|soldiers|troops|police(?:men| officers)?|officers|marines|civilians|children|women|fighters|militants|members)\b)(?!\s+(?:(?:were|was|are)\s+)?(?:wounded|injured|hurt))", re.I)
_NAMED_AND_OTHERS = re.compile(rf"\b(?:killing|killed)\s+(?:the\s+)?[^,.;]{{3,80}},\s+(?:[A-Z][\w'’-]+\s+){{0,3}}[A-Z][\w'’-]+,\s+and\s+"
                               rf"(?P<n>{_NUMWORD})\s+(?:other|more)\s+{_WHO}", re.I)
_SUBSET = re.compile(r"^\s+(?:of (?:those|them|the|whom)|among (?:them|the)|were (?:among|of))\b", re.I)
_KILLING_BEFORE = re.compile(r"\b(?:killing|killed|kills)\s+(?:at least\s+|some\s+|about\s+|all\s+)?$", re.I)
_OF_THEM = re.compile(r"^\s+of them\b", re.I)
_SUBSET_BEFORE = re.compile(r"(?:including|among them|among whom|of whom|of them)\s+(?:at least\s+)?$", re.I)
_PRESENT = re.compile(rf"\b(?P<n>{_NUMWORD})\b[^.;]{{0,60}}?\b(?:were|was)\s+(?:attending|present|gathered|meeting|inside|in the building)\b", re.I)
_WOUNDED = re.compile(rf"\b(?P<n>{_NUMWORD})\b[^.;,]{{0,30}}?\b(?:wounded|injured|hurt)\b|\b(?:wounding|injuring|wounded|injured)\s+{_QUAL}(?P<m>{_NUMWORD})\b", re.I)


VAGUE = {"dozens", "dozens of", "tens", "tens of", "scores", "scores of", "hundreds", "hundreds of", "several", "a few",
         "a dozen", "dozen"}


@dataclass(slots=True, frozen=True)
class Toll:
    value: int
    start: int
    end: int
    text: str
    kind: str  # killed | present | wounded
    vague: bool = False  # "dozens", "hundreds": used only when no exact figure is given


def to_int(s: str) -> int | None:
    s = s.lower().strip()
    if s.replace(",", "").isdigit():
        return int(s.replace(",", ""))
    if s in WORD_NUMBERS:
        return WORD_NUMBERS[s]
    m = re.match(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](\w+)", s)
    if m and m.group(2) in WORD_NUMBERS:
        return WORD_NUMBERS[m.group(1)] + WORD_NUMBERS[m.group(2)]
    return None


_YEARISH = range(1900, 2100)


_PATTERN_SET = PatternSet(list(_PATTERNS))  # each pattern's finditer, from one scan (heads.PatternSet)
_TOLLS_MEMO: dict[str, tuple[Toll, ...]] = {}
TOLLS_MEMO_MAX = 20_000  # sentences whose tolls a process remembers (cleared when full)


def tolls(sentence: str) -> list[Toll]:
    """Death tolls stated in a sentence (kind "killed"), and people present or wounded (other kinds).

    Remembered per sentence: the coder asks again for the same sentence as a report's evidence, as support
    for the report before it and when it builds the report (on a feed, four asks for every sentence)."""
    hit = _TOLLS_MEMO.get(sentence)
    if hit is None:
        if len(_TOLLS_MEMO) >= TOLLS_MEMO_MAX:
            _TOLLS_MEMO.clear()
        hit = _TOLLS_MEMO[sentence] = tuple(_tolls(sentence))
    return list(hit)


def _tolls(sentence: str) -> list[Toll]:
    out: list[Toll] = []
    seen: set[int] = set()
    for rx, found in zip(_PATTERNS, _PATTERN_SET.finditer_each(sentence)):
        for m in found:
            n = to_int(m.group("n")) if m.group("n") else 1
            if n is None or n in _YEARISH or m.start("n") in seen:
                continue
            after = sentence[m.end("n"):m.end("n") + 30]
            before = sentence[max(0, m.start("n") - 25):m.start("n")]
            if (_SUBSET.match(after) and not (_KILLING_BEFORE.search(before) and _OF_THEM.match(after))) or _SUBSET_BEFORE.search(before):
                continue  # "35 of those killed were civilians" is a part; "killing 23 of them" the whole
            if re.search(r"\bno\s*$", before, re.I):
                continue  # "No one was killed"
            if m.group("n").lower() in ("a", "an") and not ("who" in rx.groupindex and m.group("who")):
                continue
            if m.group("n").lower() in ("a", "an") and re.match(r"\s+(?:number|few|lot|host|series)\b", sentence[m.end("n"):]):
                continue  # "a number of soldiers were killed": no figure
            seen.add(m.start("n"))
            if "n2" in rx.groupindex and m.group("n2") and (n2 := to_int(m.group("n2"))) is not None:
                seen.add(m.start("n2"))
                n += n2
            end = m.end()
            more = _AND_MORE.match(sentence, end)
            if more and (n2 := to_int(more.group("n"))) is not None:
                # "killing six members of the Asayish and two other people": one toll of eight
                n, end = n + n2, more.end()
                seen.add(more.start("n"))
            out.append(Toll(n, m.start(), end, sentence[m.start():end], "killed", m.group("n").lower() in VAGUE))
    for m in _NAMED_AND_OTHERS.finditer(sentence):
        # "killing the minister for refugees, Khalil Haqqani, and five other people": six
        n = to_int(m.group("n"))
        if n is not None and m.start("n") not in seen:
            seen.add(m.start("n"))
            out = [t for t in out if not (t.kind == "killed" and m.start() <= t.start < m.end())]
            out.append(Toll(n + 1, m.start(), m.end(), m.group(0), "killed"))
    for m in _PRESENT.finditer(sentence):
        n = to_int(m.group("n"))
        if n is not None and m.start("n") not in seen:
            out.append(Toll(n, m.start(), m.end(), m.group(0), "present"))
    for m in _WOUNDED.finditer(sentence):
        g = "n" if m.group("n") else "m"
        n = to_int(m.group(g))
        if n is not None and m.start(g) not in seen:
            out.append(Toll(n, m.start(), m.end(), m.group(0), "wounded"))
    return out


_ATTRIB = [
    re.compile(r"\baccording to (?P<who>(?:the |a |an )?[^,.;]{3,90}?)(?=[,.;]|\s+(?:who|which|that)\b|$)", re.I),
    re.compile(r",\s*(?P<who>(?:the |a |an )?[^,.;\"“”]{3,80}?)\s+(?:said|says|reported|claimed|announced|confirmed|stated|told reporters|added)(?:\s+(?:on|in|late|early|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b[^.,;]{0,40})?(?:,[^.]*)?[.\"”]?$", re.I),
    re.compile(r"\b(?:said|says|reported|claimed|announced|confirmed) (?P<who>(?:the |a |an )?[A-Z][^,.;]{2,80}?)(?=[,.;]|$)"),
    re.compile(r"^(?P<who>(?:The |A |An )?[A-Z][^,;]{2,80}?)\s+(?:said|says|reported|claimed|announced|confirmed|stated|told)\b"),
    re.compile(r"(?P<who>(?:the |a |an )?[^,.;]{3,60}?) told (?:reporters|our correspondent|the agency|AFP|Reuters|journalists)", re.I),
]


def attribution(sentence: str) -> tuple[str, int, int] | None:
    """Who the sentence credits ("the Syrian Observatory for Human Rights", "a military source")."""
    s = sentence.strip()
    lead = _LEAD_DATELINE.match(s)  # "QAMISHLO, 4 August 2023 — The Media Centre ... announced": not a source
    base = lead.end() if lead else 0
    for rx in _ATTRIB:
        m = rx.search(s, base) if rx.pattern.startswith("^") is False else rx.match(s[base:])
        if m:
            off = base if rx.pattern.startswith("^") else 0
            who = m.group("who").strip()
            adverb = _TRAILING_ADVERB.search(who)
            if adverb:
                who = who[:adverb.start()]  # "Authorities first reported 20 dead": the authorities
            if rx is _ATTRIB[2] and _CLAUSE_VERB.search(who):
                continue  # "said a Russian plane dropped a bomb on the building": what was said, not who said it
            if who and len(who.split()) <= 14 and not re.match(r"^(?:it|he|she|they|we|this|that|there|(?:on |late |early )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last \w+)(?: \w+)?)$", who, re.I):
                return who, off + m.start("who"), off + m.start("who") + len(who)
    return None


_CLAUSE_VERB = re.compile(r"(?<![\w-])(?:[a-z]+ed|hit|struck|fired|shot|killed|dropped|was|were|had|has|have)\b")
_TRAILING_ADVERB = re.compile(r"\s+(?:first|initially|originally|later|also|again|previously|earlier|then|now|still|had|have|has)$", re.I)
_LEAD_DATELINE = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:,[^—–:]{0,45}?|\s+(?=\()|(?=\s[-–—]\s))(?:\([^)]{1,30}\)\s*)?(?:\s?—\s?|\s?–\s?| - |:)\s*")
