import pytest

from khaldun.casualties import attribution, to_int, tolls


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("Jets struck the market, killing at least 37 people, a monitor said.", [37]),
        ("Six civilians were killed in the shelling.", [6]),
        ("The death toll rose to 43 on Tuesday.", [43]),
        ("A rocket killed a foreign civilian contractor and wounded nine others.", [1]),
        ("Dozens of people were killed in the raid.", [12]),
        ("Tens of soldiers died when the convoy was hit.", [10]),
        ("The officials said 35 of those killed were civilians.", []),
        ("More than 100 people were wounded.", []),
        ("Thirty commanders were attending the meeting when the strike hit.", []),
        ("The blast left 14 dead and 20 wounded.", [14]),
        # a parenthetical between the figure and the verb; a long gap before "risen to"; a revised count;
        # a nationality as the victims
        ("At least 30 people, among them two nurses and a teacher, were killed when the shells landed.", [30]),
        ("The death toll from Sunday's car bomb outside the central bank in Mogadishu has risen to 19, medics said.", [19]),
        ("Officials on Tuesday revised the number of people killed in the raid on the market to 41.", [41]),
        ("At least nine young Sudanese were shot dead at the checkpoint.", [9]),
        ("The plans of this analysis were killed by the board.", []),
        ("Gunmen ambushed a minibus near Gao, killing 14 of them, the mayor said.", [14]),
        ("The bomber killed at least 40 Iraqis and 3 Danish soldiers at the gate.", [43]),
        ("The raid killed 4 fighters and 2 children were wounded.", [4]),
        ("No one was killed.", []),
        # one death, said as who died
        ("A student leader of the campus union was killed when the police charged.", [1]),
        ("Troops opened fire on the march, killing Omar Haddad, a teacher from the old town.", [1]),
        ("The bomb went off in the ministry, killing the deputy minister for water, Ahmad Rahimi, and four other people.", [5]),
        ("A drone dropped a grenade on a bus, killing the driver and wounding two passengers.", [1]),
        ("The shell hit the clinic, killing a nurse who was on duty.", [1]),
        ("Three members of the New People's Army (NPA) were killed in the clash.", [3]),
        ("Hezbollah commander Ali Hassan was killed in the strike.", [1]),
        ("Eleven members of the crew, including the captain, were killed.", [11]),
        ("At least 14 fighters were eliminated in the raid.", [14]),
    ],
)
def test_killed(sentence, killed):
    assert [t.value for t in tolls(sentence) if t.kind == "killed"] == killed


def test_present_is_not_a_toll():
    found = tolls("The command said that 30 senior commanders were attending the meeting.")
    assert [(t.kind, t.value) for t in found] == [("present", 30)]


def test_toll_offsets_round_trip():
    s = "The attack killed 12 people and wounded 30."
    for t in tolls(s):
        assert s[t.start:t.end] == t.text


@pytest.mark.parametrize(("word", "n"), [("twenty-one", 21), ("1,200", 1200), ("dozens", 12), ("hundreds of", 100)])
def test_numbers(word, n):
    assert to_int(word) == n


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Warplanes bombed the market, killing 37 people, the Syrian Observatory for Human Rights said.",
         "the Syrian Observatory for Human Rights"),
        ("According to state news agency SANA, the rockets hit two villages.", "state news agency SANA"),
        ("The Iraqi command center confirmed that 30 leaders were present.", "The Iraqi command center"),
        ("Gunmen killed 12 miners near the border, the regional governor said Tuesday.", "the regional governor"),
    ],
)
def test_attribution(sentence, who):
    assert attribution(sentence)[0] == who


def test_toll_patterns_find_from_one_scan_what_each_finditer_finds() -> None:
    # casualties._PATTERN_SET (heads.PatternSet) must give each pattern's own finditer matches, in order
    from khaldun import casualties

    text = ("At least 37 people were killed and 12 wounded; the death toll rose to 40, killing Dr. Ali and five "
            "others. Three soldiers and two civilians were killed, a policeman was shot dead. The deaths of "
            "1,200 villagers, 30 bodies were recovered, dozens of fighters were killed, 2021 was calm.")
    for rx, found in zip(casualties._PATTERNS, casualties._PATTERN_SET.finditer_each(text), strict=True):
        assert [m.span() for m in found] == [m.span() for m in rx.finditer(text)]
    assert any(casualties._PATTERN_SET.finditer_each(text))


def test_an_adverb_after_the_source_is_not_part_of_its_name():
    assert attribution("Authorities first reported 20 dead on Sunday evening.") == ("Authorities", 0, 11)


def test_a_dateline_with_an_agency_in_brackets_is_not_the_source():
    assert attribution("CAIRO (Keystone Wire) - Sudan's army said on Saturday it had retaken the city.")[0] == "Sudan's army"
