"""``civicflow outcomes appraise``: what an analyst sees, and the errors."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from civicflow.config.cli import main
from tests.outcomes.test_appraise import WORKED_CBA

SROI = {
    "kind": "sroi",
    "discount_rate": 0.035,
    "inputs": [{"label": "Grant", "value": 1000}],
    "outcomes": [
        {
            "label": "People back in work",
            "quantity": 10,
            "proxy": 100,
            "duration": 3,
            "deadweight": 0.2,
            "displacement": 0,
            "attribution": 0.25,
            "drop_off": 0.1,
        }
    ],
}


def appraise(capsys, tmp_path, content, *flags):
    path = tmp_path / "appraisal.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    status = main(["outcomes", "appraise", str(path), *flags])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cba_as_json_has_the_documented_keys(capsys, tmp_path):
    status, out, err = appraise(capsys, tmp_path, WORKED_CBA, "--json")
    assert status == 0, err
    result = json.loads(out, parse_float=Decimal)
    for key in (
        "pv_costs",
        "pv_benefits",
        "npv",
        "bcr",
        "payback_year",
        "switching_value",
        "discount_factors",
    ):
        assert key in result
    # The worked example (tests/outcomes/test_appraise.py): 14400 / 11, 1600, 3200 / 11, 11 / 9.
    assert result["pv_costs"] == Decimal("1309.09")
    assert result["pv_benefits"] == Decimal("1600.00")
    assert result["npv"] == Decimal("290.91")
    assert result["bcr"] == Decimal("1.2222")
    assert result["payback_year"] == 2
    assert result["switching_value"] == Decimal("0.1818")
    assert result["discount_factors"] == [
        Decimal("1"),
        Decimal("0.9090909091"),
        Decimal("0.8264462810"),
    ]


def test_green_book_discount_factors_in_the_json(capsys, tmp_path):
    raw = {"kind": "cba", "discount": "green-book", "costs": [{"year": 76, "amount": 1000}]}
    status, out, _err = appraise(capsys, tmp_path, raw, "--json")
    assert status == 0
    factors = json.loads(out, parse_float=Decimal)["discount_factors"]
    assert factors[1] == Decimal("0.9661835749")
    assert factors[10] == Decimal("0.7089188137")
    assert factors[30] == Decimal("0.3562784106")
    assert factors[31] == Decimal("0.3459013695")
    assert factors[76] == Decimal("0.0919158757")


def test_sroi_as_json(capsys, tmp_path):
    status, out, _err = appraise(capsys, tmp_path, SROI, "--json")
    assert status == 0
    result = json.loads(out, parse_float=Decimal)
    assert result["total_pv"] == Decimal("1522.15")
    assert result["net_pv"] == Decimal("522.15")
    assert result["sroi_ratio"] == Decimal("1.5222")
    (outcome,) = result["by_outcome"]
    assert [year["impact"] for year in outcome["years"]] == [
        Decimal("600.00"),
        Decimal("540.00"),
        Decimal("486.00"),
    ]


def test_readable_tables(capsys, tmp_path):
    status, out, _err = appraise(capsys, tmp_path, WORKED_CBA)
    assert status == 0
    assert "Net present value:  £290.91" in out
    assert "Benefit–cost ratio: 1.2222" in out
    assert "Payback year:       2" in out
    assert "benefits may fall by 18.18 %" in out
    assert "Cumulative NPV" in out
    status, out, _err = appraise(capsys, tmp_path, SROI)
    assert status == 0
    assert "SROI ratio:         1.5222 : 1" in out
    assert "People back in work" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"kind": "cba", "costs": [', "not valid JSON: Expecting value at line 1"),
        (
            {
                "kind": "sroi",
                **{k: v for k, v in SROI.items() if k != "kind"},
                "outcomes": [{**SROI["outcomes"][0], "deadweight": 1.5}],
            },
            "outcomes[0].deadweight: Enter a fraction from 0 to 1",
        ),
        ({**WORKED_CBA, "costs": [{"year": 0, "amount": 0}]}, "costs: The costs add up to zero"),
        ({"kind": "what"}, "kind:"),
    ],
)
def test_bad_files_say_what_is_wrong_and_print_no_result(capsys, tmp_path, content, words):
    status, out, err = appraise(capsys, tmp_path, content, "--json")
    assert status == 2
    assert out == ""
    assert "nothing was computed" in err
    assert words in err


def test_a_missing_file(capsys, tmp_path):
    status = main(["outcomes", "appraise", str(tmp_path / "none.json")])
    assert status == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_command_runs_on_its_own_without_django(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(SROI))
    code = (
        "import sys; from civicflow.config.cli import main; status = main(sys.argv[1:]); "
        "assert 'django.conf' not in sys.modules; sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "outcomes", "appraise", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sroi_ratio"] == 1.5222
