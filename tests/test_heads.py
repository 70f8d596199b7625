"""Pattern heads (`khaldun.heads`): what a match can start with, and the memo kept in the cache folder."""

from __future__ import annotations

import pytest

from khaldun import heads as H


@pytest.fixture()
def fresh_memo(tmp_path, monkeypatch):
    monkeypatch.setenv("KHALDUN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(H, "_state", {"memo": None, "dirty": False, "path": None})
    return tmp_path


def test_heads_of_alternations_and_short_words():
    assert H.heads(r"(?:shelled|shelling) the") == frozenset({"she"})
    assert H.heads(r"at least|up to") == frozenset({"at", "up"})
    assert H.heads(r"\w+ killed") is None  # starts with any word: scanned on its own


def test_heads_are_read_back_from_the_cache_folder_without_parsing_again(fresh_memo, monkeypatch):
    pattern = r"(?:drone|missile) strikes? on"
    first = H.heads(pattern)
    H.save_memo()
    assert list(fresh_memo.glob("heads-*.marshal"))

    class NoParse:
        @staticmethod
        def parse(*args, **kwargs):
            raise AssertionError("parsed again instead of read from the memo")

    monkeypatch.setattr(H, "_state", {"memo": None, "dirty": False, "path": None})
    monkeypatch.setattr(H, "_SRE_PARSER", NoParse)
    assert H.heads(pattern) == first == frozenset({"dro", "mis"})


def test_an_unreadable_memo_file_is_worked_out_again(fresh_memo):
    H._memo_path().parent.mkdir(parents=True, exist_ok=True)
    H._memo_path().write_bytes(b"not marshal data")
    assert H.heads(r"raid(?:ed)? on") == frozenset({"rai"})
    H.save_memo()
    H._state["memo"] = None
    assert H._memo()[(r"raid(?:ed)? on", H.MAX_WALK)] == frozenset({"rai"})
