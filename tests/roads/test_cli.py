"""CLI contract of ``logistics roads``: matrix file format, unreachable pairs, exit codes."""

from __future__ import annotations

import socket

import pandas as pd
import pytest

from logistics.cli.main import main

A = "id,lon,lat\nQHD-M01,119.552,39.956\nQHD-C130322,119.158284,39.708345\n"
B = "id,lon,lat\nP13030300,119.747681,39.996724\nP13032100,118.948565,40.404812\n"


def _files(tmp_path, a=A, b=B):
    (tmp_path / "A.csv").write_text(a, encoding="utf-8")
    (tmp_path / "B.csv").write_text(b, encoding="utf-8")
    return str(tmp_path / "A.csv"), str(tmp_path / "B.csv"), str(tmp_path / "M.csv")


@pytest.mark.parametrize("weight", ["time", "length"])
def test_matrix_contract_on_demo(tmp_path, capsys, weight, demo):
    from logistics.roads import distance_matrix, travel_time_matrix

    a, b, out = _files(tmp_path)
    assert main(["roads", "matrix", "--from", a, "--to", b, "--weight", weight, "--out", out]) == 0
    m = pd.read_csv(out, dtype={"from": str, "to": str})
    assert list(m.columns) == ["from", "to", "value"]
    assert len(m) == 4 and m["value"].notna().all()
    fn = travel_time_matrix if weight == "time" else distance_matrix
    res = fn(demo, pd.read_csv(a), pd.read_csv(b))
    exp = res.to_frame()
    pd.testing.assert_series_equal(m["value"], exp["value"], rtol=1e-6, check_names=False)
    assert "示意" in capsys.readouterr().err


def test_matrix_unreachable_written_empty_with_warning(tmp_path, capsys):
    a, b, out = _files(tmp_path)
    closures = tmp_path / "c.toml"
    ring = (
        "POLYGON ((118.90 40.36, 119.00 40.36, 119.00 40.45, 118.90 40.45, 118.90 40.36), "
        "(118.93 40.39, 118.97 40.39, 118.97 40.42, 118.93 40.42, 118.93 40.39))"
    )
    closures.write_text(f'[[closure]]\nlabel = "青龙塌方"\npolygon = "{ring}"\n', encoding="utf-8")
    rc = main(
        [
            "--lang",
            "en",
            "roads",
            "matrix",
            "--from",
            a,
            "--to",
            b,
            "--out",
            out,
            "--closures",
            str(closures),
        ]
    )
    assert rc == 0
    m = pd.read_csv(out, dtype={"from": str, "to": str, "value": str}, keep_default_na=False)
    empty = m[m["value"] == ""]
    assert set(zip(empty["from"], empty["to"], strict=True)) == {
        ("QHD-M01", "P13032100"),
        ("QHD-C130322", "P13032100"),
    }
    err = capsys.readouterr().err
    assert (
        "warning:" in err
        and "QHD-M01->P13032100" in err
        and "destinations reached by nothing: P13032100" in err
    )


def test_matrix_with_reopening_waits(tmp_path):
    a, b, out = _files(tmp_path)
    base = tmp_path / "base.csv"
    assert main(["roads", "matrix", "--from", a, "--to", b, "--out", str(base)]) == 0
    closures = tmp_path / "c.toml"
    closures.write_text(
        '[[closure]]\nrefs = ["G1", "G102", "G205", "G228"]\nreopen_h = 1\n', encoding="utf-8"
    )
    assert main(["roads", "matrix", "--from", a, "--to", b, "--out", out, "--closures", str(closures)]) == 0
    before, after = pd.read_csv(base), pd.read_csv(out)
    assert (after["value"] >= before["value"] - 1e-6).all() and (after["value"] > before["value"]).any()


@pytest.mark.parametrize(
    ("a", "extra", "message"),
    [
        ("id,lon,lat\nX,119.9,39.5\n", [], "at sea"),
        ("id,lon,lat\nX,abc,39.9\n", [], "lon must be a number"),
        ("name,x,y\nX,1,2\n", [], "missing column"),
        (A, ["--closures", "missing.toml"], "disruption file not found"),
        (A, ["--graph", "missing.osm"], "road file not found"),
        (A, ["--snap-max-m", "-1"], "--snap-max-m"),  # refused when the arguments are parsed
    ],
)
def test_matrix_bad_input_exit_2_and_no_output(tmp_path, capsys, a, extra, message):
    fa, fb, out = _files(tmp_path, a=a)
    rc = main(["--lang", "en", "roads", "matrix", "--from", fa, "--to", fb, "--out", out, *extra])
    assert rc == 2
    assert message in capsys.readouterr().err
    # the default language is Chinese: the same problem, located, in Chinese
    assert main(["roads", "matrix", "--from", fa, "--to", fb, "--out", out, *extra]) == 2
    err = capsys.readouterr().err
    assert "错误：" in err and err != "", err
    assert not (tmp_path / "M.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".M.csv")] == []


def test_matrix_on_a_real_sample(tmp_path, haidian_path):
    a = "id,lon,lat\nTsinghua,116.326,40.003\n"
    b = "id,lon,lat\nPKU,116.310,39.992\nWest,116.312,40.010\n"
    fa, fb, out = _files(tmp_path, a=a, b=b)
    rc = main(
        [
            "roads",
            "matrix",
            "--graph",
            str(haidian_path),
            "--from",
            fa,
            "--to",
            fb,
            "--out",
            out,
            "--weight",
            "length",
        ]
    )
    assert rc == 0
    assert len(pd.read_csv(out)) == 2


def test_info(capsys, pingshan_path):
    assert main(["--lang", "en", "roads", "info", "--graph", str(pingshan_path)]) == 0
    out = capsys.readouterr().out
    assert "weak components" in out and "residential" in out


def test_fetch_reads_an_existing_cache_without_network(tmp_path, capsys):
    from logistics.roads import demo_network_path

    (tmp_path / "demo_place.graphml").write_bytes(demo_network_path().read_bytes())
    assert (
        main(
            [
                "--lang",
                "en",
                "roads",
                "fetch",
                "--place",
                "Demo Place",
                "--cache-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert "cached" in capsys.readouterr().out


def _offline() -> bool:
    try:
        socket.getaddrinfo("nominatim.openstreetmap.org", 443)
    except OSError:
        return True
    return False


@pytest.mark.skipif(not _offline(), reason="only meaningful without internet access")
def test_fetch_offline_is_a_clear_error(tmp_path, capsys):
    rc = main(["roads", "fetch", "--place", "秦皇岛市, 河北省", "--cache-dir", str(tmp_path)])
    assert rc == 1
    assert "cannot download the road network" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("crs", ["gcj02", "高德", "BD09"])
def test_matrix_accepts_gcj02_and_bd09_points(tmp_path, crs):
    """The same places given in GCJ-02 or BD-09 with --crs give the WGS-84 matrix (issue 19)."""
    import math

    from logistics.common.coords import gcj02_to_wgs84, wgs84_to_gcj02

    def shifted(text: str) -> str:
        rows = [line.split(",") for line in text.strip().split("\n")]
        out = [",".join(rows[0])]
        for pid, lon, lat in rows[1:]:
            glon, glat = wgs84_to_gcj02(float(lon), float(lat))
            if crs == "BD09":  # GCJ-02 -> BD-09 (the inverse of bd09_to_gcj02's formula)
                z = math.hypot(glon, glat) + 0.00002 * math.sin(glat * math.pi * 3000 / 180)
                th = math.atan2(glat, glon) + 0.000003 * math.cos(glon * math.pi * 3000 / 180)
                glon, glat = z * math.cos(th) + 0.0065, z * math.sin(th) + 0.006
            out.append(f"{pid},{glon:.7f},{glat:.7f}")
        return "\n".join(out) + "\n"

    a, b, base = _files(tmp_path)
    assert main(["roads", "matrix", "--from", a, "--to", b, "--out", base]) == 0
    shifted_dir = tmp_path / "shifted"
    shifted_dir.mkdir()
    sa, sb, out = _files(shifted_dir, shifted(A), shifted(B))
    assert main(["roads", "matrix", "--from", sa, "--to", sb, "--crs", crs, "--out", out]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(base))
    # the conversion itself recovers the WGS-84 input to well under a metre
    back = gcj02_to_wgs84(*wgs84_to_gcj02(119.552, 39.956))
    assert abs(back[0] - 119.552) < 1e-5 and abs(back[1] - 39.956) < 1e-5


def test_matrix_unknown_crs_exit_2(tmp_path, capsys):
    a, b, out = _files(tmp_path)
    assert main(["roads", "matrix", "--from", a, "--to", b, "--crs", "mars", "--out", out]) == 2
    assert "mars" in capsys.readouterr().err


def test_info_clip_option(capsys):
    assert main(["roads", "info", "--clip", "119.0,39.7,119.7,40.1"]) == 0
    assert main(["--lang", "en", "roads", "info", "--clip", "1,2,3"]) == 2
    assert "clip area" in capsys.readouterr().err
    assert main(["roads", "info", "--clip", "1,2,3"]) == 2
    assert "范围" in capsys.readouterr().err


def test_matrix_reads_points_like_every_other_table(tmp_path, capsys):
    """GBK CSV with Chinese headers and a 合计 row, GCJ-02 declared; the CSV written has a BOM (issue 19)."""
    a = tmp_path / "起点.csv"
    a.write_bytes("编号,经度,纬度\n甲,119.5561,39.9574\n合计,,\n".encode("gbk"))
    b = tmp_path / "终点.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["终点坐标表"])
    wb.active.append(["编号", "经度", "纬度"])
    wb.active.append(["乙", 119.5960, 39.9325])
    wb.save(b)
    out = tmp_path / "M.csv"
    assert (
        main(["roads", "matrix", "--from", str(a), "--to", str(b), "--out", str(out), "--crs", "GCJ02"]) == 0
    )
    err = capsys.readouterr().err
    assert "GB18030" in err and "合计" in err  # what was assumed and skipped is said
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    rows = raw.decode("utf-8-sig").splitlines()
    assert rows[0] == "from,to,value" and rows[1].startswith("甲,乙,") and len(rows) == 2
