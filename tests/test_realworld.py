"""Article text the trafilatura way: self-written pages with chrome, each with lines that must and must not
survive (tests/pages/<name>.expect.json) and the publication date the cascade must find."""

import json
from pathlib import Path

import pytest

from khaldun.article import extract
from khaldun.ingest import iter_documents

PAGES = sorted(p for p in (Path(__file__).parent / "pages").iterdir() if p.suffix in (".html", ".txt"))


def _doc(page: Path):
    (doc,) = list(iter_documents([str(page)]))
    assert not doc.error, doc.error
    return extract(doc)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page(page):
    expect = json.loads(page.with_suffix(".expect.json").read_text("utf-8"))
    doc = _doc(page)
    lines = {ln.strip() for ln in doc.text.splitlines()}
    for line in expect.get("must", []):
        assert " ".join(line.split()) in " ".join(doc.text.split()), f"missing: {line}"
    for line in expect.get("must_not", []):
        assert line.strip() not in lines and not (len(line) >= 25 and line in doc.text), f"chrome kept: {line}"
    assert doc.published == expect.get("published")


def test_published_provenance_is_recorded():
    doc = _doc(next(p for p in PAGES if p.suffix == ".html"))
    assert doc.published_source in {"meta", "time", "json-ld", "dateline", "htmldate", "--published"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The army said on Monday that the strike killed five people in the town of Idlib.", "en"),
     ("El ejército dijo que los enfrentamientos en la ciudad dejaron muertos y heridos en la noche.", "es"),
     ("قتل عشرة مدنيين في قصف على السوق", "ar")],
)
def test_language_is_labelled(text, lang):
    from khaldun.article import guess_language

    assert guess_language(text) == lang


@pytest.mark.parametrize("line", [
    "Newsletter",
    "Daily newsletter:",
    "Get our free newsletter",
    "Enter your e-mail address to receive the newsletter",
    "Newsletter sign-up: the morning briefing from the front line",
    "Subscribe to the weekly bulletin",
])
def test_newsletter_boxes_are_chrome(line):
    from khaldun.article import is_chrome

    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "The group claimed the ambush in its weekly newsletter al-Naba on Thursday, naming two of the dead.",
    "A statement in the militia's newsletter said its fighters had shelled the airport.",
])
def test_a_report_that_names_a_newsletter_is_not_chrome(line):
    from khaldun.article import is_chrome

    assert not is_chrome(line)


@pytest.mark.parametrize("line", [
    "Back to Main page",
    "Return to homepage",
    "(Agencies)",
    "(AFP)",
    "Kindly do not post any personal, abusive or unlawful comments; we remove them.",
    "Comments are moderated.",
])
def test_navigation_credit_and_comment_box_lines_are_chrome(line):
    from khaldun.article import is_chrome

    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "Police said the comments were abusive and opened an inquiry.",
    "Back to the front lines, the brigade dug in east of the river.",
])
def test_a_report_of_comments_or_a_return_is_not_chrome(line):
    from khaldun.article import is_chrome

    assert not is_chrome(line)


def test_what_follows_a_credit_line_at_the_foot_goes_with_it():
    from khaldun.article import strip_chrome

    page = ("Militants attacked a checkpoint near Arish on Monday, killing two soldiers, the army said.\n\n"
            "The army said the attackers fled towards the desert after an hour of fighting with the guards.\n\n(Agencies)\n\n"
            "- Oil prices edge up\n- Heatwave grips the delta\n\n"
            "Please enter your name and e-mail address. Do not post abusive comments.")
    assert strip_chrome(page).splitlines()[-1] == ("The army said the attackers fled towards the desert after an hour "
                                                   "of fighting with the guards.")
