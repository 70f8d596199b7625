import csv
import io
import json

import pytest

from khaldun.errors import StoreError
from khaldun.records import Document, Event, Place, Report, Span
from khaldun.store import DOCUMENT_COLUMNS, EVENT_COLUMNS, REPORT_COLUMNS, Store


def _doc(doc_id="d1", *, error="") -> Document:
    text = "KABUL - A car bomb exploded outside a school on Saturday, killing 50 people, officials said."
    ev = text[8:]
    place = Place(location="Kabul", country_code="AF", country="Afghanistan", iso=4, admin1="Kabul",
                  latitude=34.52813, longitude=69.17233, geo_precision=1, reason="named in the sentence")
    rep = Report(doc_id=doc_id, event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
                 actor1="Unidentified Armed Group (Afghanistan)", actor2="Civilians (Afghanistan)",
                 event_date="2021-05-08", time_precision=1, place=place, country_code="AF", fatalities=50,
                 evidence=ev, evidence_start=8, evidence_end=len(text), report_id=f"{doc_id}-00",
                 mentions={"event_type": Span(10, 18, text[10:18])})
    return Document(doc_id=doc_id, source_path=f"/in/{doc_id}.txt", outlet="Kabul Wire", title="Blast",
                    published="2021-05-09", text=text, reports=[] if error else [rep], error=error)


def test_write_is_idempotent_and_counts(db_path):
    with Store(db_path) as s:
        s.write_documents([_doc("d1"), _doc("d2", error="K010 [ingest] binary")])
        s.write_documents([_doc("d1")])
        assert s.counts() == {"documents": 2, "reports": 1, "events": 0, "failed": 1}
        assert s.known_doc_ids() == {"d1", "d2"}


def test_exports_have_the_exact_columns(db_path, tmp_path, capsys):
    with Store(db_path) as s:
        s.write_documents([_doc()])
        ev = Event(event_id="AFG-1", event_date="2021-05-08", time_precision=1, event_type="Explosions/Remote violence",
                   sub_event_type="Remote explosive/landmine/IED", actor1="A", actor2="B", country="Afghanistan",
                   country_code="AF", iso=4, admin1="Kabul", admin2="", location="Kabul", latitude=34.5,
                   longitude=69.2, geo_precision=1, fatalities=50, fatalities_low=None, fatalities_high=None,
                   notes="n", source="Kabul Wire", n_reports=1, n_sources=1, sources="Kabul Wire")
        s.replace_events([ev], {"d1-00": "AFG-1"})
        for level, cols in (("reports", REPORT_COLUMNS), ("events", EVENT_COLUMNS), ("documents", DOCUMENT_COLUMNS)):
            s.export(level, "csv", None)
            header = next(csv.reader(io.StringIO(capsys.readouterr().out)))
            assert header[: len(cols)] == cols
        s.export("events", "geojson", str(tmp_path / "e.geojson"))
        gj = json.loads((tmp_path / "e.geojson").read_text())
        assert gj["features"][0]["geometry"] == {"type": "Point", "coordinates": [69.2, 34.5]}
        s.export("reports", "parquet", str(tmp_path / "r.parquet"))
        assert s.con.execute(f"SELECT event_id FROM '{tmp_path / 'r.parquet'}'").fetchall() == [("AFG-1",)]
        s.export("documents", "jsonl", str(tmp_path / "d.jsonl"))
        row = json.loads((tmp_path / "d.jsonl").read_text().splitlines()[0])
        assert row["text"].startswith("KABUL")


def test_evidence_offsets_round_trip(db_path):
    with Store(db_path) as s:
        s.write_documents([_doc()])
        (r,) = s.query("SELECT r.evidence, r.evidence_start, r.evidence_end, d.text, r.mentions FROM reports r "
                       "JOIN documents d USING (doc_id)")
    assert r["text"][r["evidence_start"]:r["evidence_end"]] == r["evidence"]
    for start, end, words in json.loads(r["mentions"]).values():
        assert r["text"][start:end] == words


def test_unknown_format_and_parquet_to_stdout_are_refused(db_path):
    with Store(db_path) as s:
        with pytest.raises(StoreError):
            s.export("events", "xlsx", None)
        with pytest.raises(StoreError):
            s.export("events", "parquet", None)


def test_unusable_path_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        Store(str(tmp_path))  # a directory
