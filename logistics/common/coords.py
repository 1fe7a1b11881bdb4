"""Convert coordinates copied from Chinese web maps (GCJ-02, BD-09) to WGS-84.

GCJ-02 ("Mars coordinates", used by Amap/高德, Tencent and Google China) shifts WGS-84 by a
published pseudo-random offset of a few hundred metres inside China; BD-09 (Baidu) adds a further
rotation and shift on top of GCJ-02. The forward GCJ-02 formula is the widely published one; the
inverse is computed by fixed-point iteration to well under a metre. Outside China the offset is
zero by definition.

Examples
--------
>>> lon, lat = wgs84_to_gcj02(119.590445, 39.942349)
>>> round(lon, 4), round(lat, 4)
(119.5962, 39.9435)
>>> lon2, lat2 = gcj02_to_wgs84(lon, lat)
>>> abs(lon2 - 119.590445) < 1e-7 and abs(lat2 - 39.942349) < 1e-7
True
"""

from __future__ import annotations

import math

__all__ = [
    "CHINA_BBOX",
    "CRS_NAMES",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_wgs84",
    "in_china_bbox",
    "normalise_crs",
    "to_wgs84",
    "wgs84_to_gcj02",
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

#: Bounding box of China used for plausibility checks: (lon_min, lat_min, lon_max, lat_max).
#: It includes the South China Sea islands; it is a box, so points in neighbouring countries
#: close to the border pass.
CHINA_BBOX: tuple[float, float, float, float] = (73.4, 3.8, 135.1, 53.6)

#: Accepted names for coordinate systems -> canonical name.
CRS_NAMES: dict[str, str] = {
    "wgs84": "WGS84", "wgs-84": "WGS84", "epsg:4326": "WGS84", "4326": "WGS84", "gps": "WGS84",
    "gcj02": "GCJ02", "gcj-02": "GCJ02", "火星坐标": "GCJ02", "高德": "GCJ02", "amap": "GCJ02",
    "腾讯": "GCJ02", "国测局": "GCJ02",
    "bd09": "BD09", "bd-09": "BD09", "bd09ll": "BD09", "百度": "BD09", "baidu": "BD09",
}  # fmt: skip


def normalise_crs(name: str | None) -> str | None:
    """Return ``WGS84``, ``GCJ02`` or ``BD09`` for an accepted name, ``None`` if unknown.

    Parameters
    ----------
    name
        A coordinate-system name as written in a file; empty means WGS84.
    """
    if name is None or str(name).strip() == "":
        return "WGS84"
    return CRS_NAMES.get(str(name).strip().lower().replace(" ", ""))


def in_china_bbox(lon: float, lat: float) -> bool:
    """Whether the point lies in :data:`CHINA_BBOX`.

    Parameters
    ----------
    lon, lat
        Degrees.
    """
    x0, y0, x1, y1 = CHINA_BBOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Apply the GCJ-02 offset to a WGS-84 point (identity outside China).

    Parameters
    ----------
    lon, lat
        WGS-84 degrees.
    """
    if not in_china_bbox(lon, lat):
        return lon, lat
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = math.sin(radlat)
    magic = 1 - _EE * magic * magic
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert the GCJ-02 offset by fixed-point iteration (error well under 1 mm).

    Parameters
    ----------
    lon, lat
        GCJ-02 degrees.
    """
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-10 and abs(dlat) < 1e-10:
            break
    return wlon, wlat


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert BD-09 (Baidu) to GCJ-02.

    Parameters
    ----------
    lon, lat
        BD-09 degrees.
    """
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert BD-09 (Baidu) to WGS-84.

    Parameters
    ----------
    lon, lat
        BD-09 degrees.
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, crs: str) -> tuple[float, float]:
    """Convert a point from ``crs`` (``WGS84``, ``GCJ02`` or ``BD09``) to WGS-84.

    Parameters
    ----------
    lon, lat
        Degrees in ``crs``.
    crs
        Canonical name as returned by :func:`normalise_crs`.

    Raises
    ------
    ValueError
        If ``crs`` is not one of the three.
    """
    if crs == "WGS84":
        return lon, lat
    if crs == "GCJ02":
        return gcj02_to_wgs84(lon, lat)
    if crs == "BD09":
        return bd09_to_wgs84(lon, lat)
    raise ValueError(f"Expected crs in ('WGS84', 'GCJ02', 'BD09'), got {crs!r}.")
