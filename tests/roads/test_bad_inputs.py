"""Bad road inputs give one clear error naming the file and the problem."""

from __future__ import annotations

import bz2

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from logistics.exceptions import InputNote, RoadNetworkError
from logistics.roads import network_from_file, network_from_lines

FOOTWAYS_OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" lat="39.90" lon="119.60" version="1"/>
  <node id="2" lat="39.91" lon="119.60" version="1"/>
  <node id="3" lat="39.91" lon="119.61" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <way id="11" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="cycleway"/></way>
</osm>
"""


def test_empty_files(tmp_path):
    for name in ("empty.osm", "empty.graphml", "empty.shp", "empty.pbf"):
        p = tmp_path / name
        p.write_bytes(b"")
        with pytest.raises(RoadNetworkError, match=r"empty\.\w+: road file is empty"):
            network_from_file(p)


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(RoadNetworkError, match="road file not found"):
        network_from_file(tmp_path / "nope.osm")
    p = tmp_path / "roads.txt"
    p.write_text("x")
    with pytest.raises(RoadNetworkError, match=r"unknown road file type.*\.txt"):
        network_from_file(p)


def test_non_drivable_osm_xml(tmp_path):
    p = tmp_path / "paths.osm"
    p.write_text(FOOTWAYS_OSM, encoding="utf-8")
    with pytest.raises(RoadNetworkError, match=r"paths\.osm: no drivable road \(classes found: .*footway"):
        network_from_file(p)
    q = tmp_path / "paths.osm.bz2"
    q.write_bytes(bz2.compress(FOOTWAYS_OSM.encode()))
    with pytest.raises(RoadNetworkError, match="no drivable road"):
        network_from_file(q)


def test_corrupt_osm_xml(tmp_path):
    p = tmp_path / "broken.osm.bz2"
    p.write_bytes(b"this is not bzip2 at all")
    with pytest.raises(RoadNetworkError, match=r"broken\.osm\.bz2: cannot read OSM XML"):
        network_from_file(p)
    q = tmp_path / "broken.osm"
    q.write_text("<osm><way", encoding="utf-8")
    with pytest.raises(RoadNetworkError, match="cannot read OSM XML"):
        network_from_file(q)


def _lines(crs, fclass=("primary", "primary")):
    return gpd.GeoDataFrame(
        {
            "fclass": list(fclass),
            "oneway": ["B", "F"],
            "maxspeed": [0, 60],
            "name": ["甲路", "乙路"],
        },
        geometry=[
            LineString([(119.6, 39.9), (119.61, 39.9)]),
            LineString([(119.61, 39.9), (119.61, 39.91)]),
        ],
        crs=crs,
    )


def test_layer_without_crs_is_refused(tmp_path):
    p = tmp_path / "nocrs.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        _lines(None).to_file(p)
    assert not (tmp_path / "nocrs.prj").exists()
    with pytest.raises(RoadNetworkError, match=r"nocrs\.shp: the road layer has no CRS"):
        network_from_file(p)


def test_layer_without_drivable_lines(tmp_path):
    p = tmp_path / "paths.gpkg"
    _lines("EPSG:4326", fclass=("footway", "path")).to_file(p)
    with pytest.raises(RoadNetworkError, match=r"no drivable line \(classes found: (footway|path) 1"):
        network_from_file(p)
    gdf = _lines("EPSG:4326").rename(columns={"fclass": "kind"})
    with pytest.raises(RoadNetworkError, match="needs a 'highway'"):
        network_from_lines(gdf)


def test_small_layer_is_read_in_a_projected_crs(tmp_path):
    p = tmp_path / "proj.geojson"
    _lines("EPSG:4326").to_crs(32650).to_file(p)
    net = network_from_file(p)
    assert (net.n_nodes, net.n_edges) == (3, 3)  # two-way first line, one-way second
    assert net.lon.min() == pytest.approx(119.6, abs=1e-7)
    assert sorted(net.maxspeed_kph[net.name == "乙路"].tolist()) == [60.0]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_shapefile_without_cpg_keeps_chinese_road_names(tmp_path, encoding):
    """A GBK (or UTF-8) shapefile whose .cpg is missing still gives 甲路/乙路, not mojibake (issue 19)."""
    from logistics.roads.read import shapefile_encoding

    p = tmp_path / "roads.shp"
    _lines("EPSG:4326").to_file(p, encoding=encoding)
    (tmp_path / "roads.cpg").unlink()
    if encoding == "gbk":  # what GDAL alone makes of it
        assert gpd.read_file(p)["name"].tolist() != ["甲路", "乙路"]
    assert shapefile_encoding(p) == ("gb18030" if encoding == "gbk" else "utf-8")
    with pytest.warns(InputNote, match=r"no \.cpg file; attributes \(road names\) read as") as notes:
        net = network_from_file(p)
    assert (encoding == "gbk") == ("GB18030" in str(notes[0].message))  # says what it assumed
    assert {"甲路", "乙路"} <= set(net.edges_frame()["name"])
