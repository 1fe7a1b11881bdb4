"""The bench scripts refuse a malformed option with one argparse error naming the value (exit 2)."""

from __future__ import annotations

import importlib
import sys

import pytest

from tests.helpers import ROOT

CASES = [
    ("allocation_province", ["--certified", "20x250"], "'20x250'"),
    ("allocation_province", ["--certified-hubs", "200x5000x30x1"], "'200x5000x30x1'"),
    ("allocation_province", ["--descent", "hebei:0x10x10"], "'0x10x10'"),
    ("allocation_province", ["--descent", "foo:20x250x30"], "'foo:20x250x30'"),
    ("allocation_province", ["--time-limit", "-5", "--certified", "20x250x30"], "'-5'"),
    ("allocation_province", ["--jobs", "0", "--certified", "20x250x30"], "'0'"),
    ("allocation_province", ["--both-ways-hubs", "3x3"], "'3x3'"),
    ("relaxation_lp", ["5x5"], "'5x5'"),
    ("relaxation_lp", ["5x5x5", "--sample", "2"], "'2'"),
    ("relaxation_lp", ["5x5x5", "--pdlp", "nan"], "'nan'"),
    ("allocation_scaling", ["--runs", "20x500x30:0"], "'20x500x30:0'"),
    ("allocation_scaling", ["--runs", "20x500x30"], "'20x500x30'"),
]


@pytest.fixture(scope="module")
def bench_on_path():
    """bench/ on ``sys.path``, as when a script runs from there (its modules import their siblings)."""
    sys.path.insert(0, str(ROOT / "bench"))
    yield
    sys.path.remove(str(ROOT / "bench"))


@pytest.mark.parametrize(("script", "argv", "named"), CASES, ids=[" ".join([s, *a]) for s, a, _ in CASES])
def test_bad_option_is_one_error_with_exit_2(bench_on_path, monkeypatch, capsys, script, argv, named) -> None:
    main = importlib.import_module(script).main
    monkeypatch.setattr(sys, "argv", [f"{script}.py", *argv])
    with pytest.raises(SystemExit) as exc:
        main()  # argparse stops before any instance is built
    assert exc.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "error: argument" in last and named in last, last


def test_defaults_and_good_values_parse(bench_on_path) -> None:
    """Every default passes its own type (argparse parses string defaults too), and good values parse."""
    province = importlib.import_module("allocation_province").parser()
    args = province.parse_args([])
    assert args.sizes == [(20, 500, 30), (50, 1250, 30)] and args.certified == [] and args.descent == []
    assert args.both_ways is None and args.both_ways_hubs is None and args.both_ways_direct is None
    args = province.parse_args(
        ["--certified", "20x250x30,50x1250x30", "--descent", "hebei:50x1250x30,synthetic:5x5x5",
         "--time-limit", "60", "--jobs", "2", "--both-ways-direct", "40x400x10"]
    )  # fmt: skip
    assert args.certified == [(20, 250, 30), (50, 1250, 30)] and args.time_limit == 60.0
    assert args.descent == ["hebei:50x1250x30", "synthetic:5x5x5"] and args.both_ways_direct == "40x400x10"
    lp = importlib.import_module("relaxation_lp").parser().parse_args(["50x1250x30", "--sample", "0.05"])
    assert lp.size == "50x1250x30" and lp.sample == 0.05 and lp.trucks == 1.0
    scaling = importlib.import_module("allocation_scaling").parser().parse_args([])
    assert scaling.runs == ["20x500x30:1,2,3,4"]
    assert importlib.import_module("allocation_scaling").parser().parse_args(["--runs", "5x5x5:all,2"]).runs
