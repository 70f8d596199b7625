"""Quality gate: the devset (../shared/devset, when present) and the example gold set must stay at or above
the floors pinned in tests/eval_baseline.json. `khaldun score` and this gate share khaldun.score."""

import hashlib
import json
from pathlib import Path

import pytest

from khaldun.score import score_gold_dir

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"
BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())
EPSILON = 0.0005  # scores are rounded to three decimals


def _get(res: dict, key: str) -> float:
    val = res
    for part in key.split("."):
        val = val[part]
    return float(val)


@pytest.fixture(scope="module")
def devset_scores():
    if not DEVSET.exists():
        pytest.skip(f"{DEVSET} is absent: the devset is only beside the clone in CI and developer checkouts")
    return score_gold_dir(str(DEVSET))


@pytest.fixture(scope="module")
def example_scores():
    return score_gold_dir(str(ROOT / "tests" / "gold"), docs_dir=str(ROOT / "examples"))


def test_devset_is_the_one_the_floors_were_set_on():
    if not DEVSET.exists():
        pytest.skip(f"{DEVSET} is absent")
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(DEVSET.glob("gold_*.jsonl")))).hexdigest()
    assert digest[:16] == BASELINE["devset"]["gold_sha256_16"], "the devset changed: re-pin the floors"


@pytest.mark.parametrize("metric", sorted(BASELINE["devset"]["floors"]))
def test_devset_floor(devset_scores, metric):
    assert _get(devset_scores, metric) + EPSILON >= BASELINE["devset"]["floors"][metric]


@pytest.mark.parametrize("metric", sorted(BASELINE["examples"]["floors"]))
def test_examples_floor(example_scores, metric):
    assert _get(example_scores, metric) + EPSILON >= BASELINE["examples"]["floors"][metric]
