"""Regenerate the ILLUSTRATIVE demo inventory of 秦皇岛市 (depots.csv, inventory.csv, places.csv).

Run from the repository root: `python data/depots/qinhuangdao/make_demo.py`. The output is
deterministic (seeded). What is real and what is invented is listed in README.md next to this
file: county-seat coordinates are real (Amap district centres, converted to WGS-84); everything
else (depot names and sites other than county seats, township coordinates and populations,
every stock figure) is illustrative.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261123

# County seats: adcode -> (name, lon/lat WGS-84, lon/lat GCJ-02). Real: Amap district centres.
SEATS = {
    "130302": ("海港区", 119.590445, 39.942349, 119.596224, 39.943458),
    "130303": ("山海关区", 119.747681, 39.996724, 119.753591, 39.998023),
    "130304": ("北戴河区", 119.48015, 39.823778, 119.486286, 39.825121),
    "130306": ("抚宁区", 119.234521, 39.885766, 119.240651, 39.887053),
    "130321": ("青龙满族自治县", 118.948565, 40.404812, 118.954555, 40.406023),
    "130322": ("昌黎县", 119.158284, 39.708345, 119.164541, 39.709729),
    "130324": ("卢龙县", 118.875938, 39.890535, 118.881809, 39.891639),
}
SEAT_TOWN = {
    "130302": ("海港城区", 45),
    "130303": ("山海关城区", 12),
    "130304": ("北戴河城区", 6),
    "130306": ("抚宁镇", 8),
    "130321": ("青龙镇", 7),
    "130322": ("昌黎镇", 10),
    "130324": ("卢龙镇", 8),
}
# Townships: real names; ILLUSTRATIVE coordinates (placed inside the county polygon) and
# ILLUSTRATIVE resident population in 万 persons.
TOWNS = {
    "海港区": [
        ("石门寨镇", 119.6, 40.08, 3.1),
        ("驻操营镇", 119.63, 40.17, 1.6),
        ("杜庄镇", 119.52, 40.05, 2.4),
        ("海港镇", 119.56, 39.99, 5.2),
    ],
    "山海关区": [("石河镇", 119.72, 40.03, 2.1), ("孟姜镇", 119.78, 40.02, 2.6)],
    "北戴河区": [("戴河镇", 119.44, 39.83, 2.0), ("牛头崖镇", 119.4941, 39.8365, 2.3)],
    "抚宁区": [
        ("留守营镇", 119.2173, 39.8279, 4.2),
        ("台营镇", 119.33, 40.07, 2.9),
        ("大新寨镇", 119.3157, 40.1274, 2.2),
        ("榆关镇", 119.3, 39.98, 3.3),
        ("茶棚乡", 119.1585, 39.9706, 1.9),
        ("深河乡", 119.4, 40.0, 1.7),
        ("坟坨镇", 119.1405, 39.8626, 2.6),
    ],
    "青龙满族自治县": [
        ("祖山镇", 119.25, 40.28, 1.8),
        ("木头凳镇", 118.8074, 40.4952, 2.8),
        ("双山子镇", 118.7, 40.45, 2.5),
        ("马圈子镇", 118.66, 40.39, 1.7),
        ("肖营子镇", 118.85, 40.31, 2.6),
        ("大巫岚镇", 119.1, 40.4, 2.2),
        ("土门子镇", 118.9846, 40.5414, 2.0),
        ("八道河镇", 118.75, 40.3, 2.1),
        ("隔河头镇", 119.15, 40.18, 1.9),
        ("娄杖子镇", 119.2, 40.47, 1.8),
    ],
    "昌黎县": [
        ("靖安镇", 119.0933, 39.7453, 4.0),
        ("安山镇", 119.02, 39.68, 3.1),
        ("龙家店镇", 119.05, 39.63, 3.4),
        ("泥井镇", 119.25, 39.6, 3.6),
        ("大蒲河镇", 119.2717, 39.5817, 2.9),
        ("新集镇", 119.15, 39.58, 3.3),
        ("刘台庄镇", 119.1, 39.52, 2.8),
        ("茹荷镇", 119.22, 39.66, 2.7),
        ("朱各庄镇", 118.98, 39.6, 3.2),
        ("荒佃庄镇", 119.0364, 39.4819, 2.5),
        ("团林乡", 119.28, 39.72, 2.4),
    ],
    "卢龙县": [
        ("潘庄镇", 118.88, 39.8, 3.5),
        ("燕河营镇", 118.95, 40.07, 3.3),
        ("双望镇", 119.05, 39.95, 2.6),
        ("刘田各庄镇", 118.98, 39.84, 3.4),
        ("石门镇", 118.99, 39.97, 2.9),
        ("木井镇", 119.08, 39.82, 2.7),
        ("陈官屯镇", 118.9, 39.75, 2.5),
        ("蛤泊镇", 118.96, 39.77, 2.2),
        ("下寨乡", 118.98, 40.11, 1.9),
        ("印庄乡", 119.05, 40.03, 2.0),
    ],
}
COUNTY_ADCODE = {v[0]: k for k, v in SEATS.items()}

ITEMS = [  # item name as a bureau writes it, unit, municipal quantity, phrasing style
    ("12㎡单帐篷", "顶", 1200),
    ("厕所帐篷", "顶", 60),
    ("棉被", "床", 5000),
    ("棉大衣", "件", 3000),
    ("棉衣", "套", 1500),
    ("折叠床", "张", 2000),
    ("睡袋", "条", 1500),
    ("毛毯", "条", 2000),
    ("毛巾被", "条", 1000),
    ("防潮垫", "张", 2000),
    ("应急照明灯", "盏", 1000),
    ("家庭应急包", "个", 1000),
    ("矿泉水", "箱", 1500),
    ("方便食品", "箱", 1000),
    ("压缩饼干", "箱", 800),
    ("手电筒", "个", 1200),
    ("雨衣", "件", 1000),
    ("棉帐篷", "顶", 300),
]
PERISHABLE = {"矿泉水": 365, "方便食品": 180, "压缩饼干": 730, "应急照明灯": 1095, "手电筒": 1095}

CN_DIGITS = "零一二三四五六七八九"
REFERENCE_DATE = dt.date(2026, 11, 23)  # the date the demo was made for


def production_date(item: str, rng: random.Random) -> str:
    """Return a production date whose expiry falls in a realistic spread.

    Relative to REFERENCE_DATE: most batches are fresh, some expire within 30, 90 or 180 days,
    and a few have just expired (to exercise the rotation report).
    """
    life = PERISHABLE[item]
    left = rng.choices([-15, 20, 75, 150, life // 2, life - 30], weights=[1, 2, 3, 3, 6, 5])[0]
    return (REFERENCE_DATE - dt.timedelta(days=life - left)).isoformat()


def phrase(n: int, unit: str, rng: random.Random) -> str:
    """Write n the way bureau sheets do: 1,200顶 / 1200顶 / 1.2万件 / 三千五百床 / 约800盏."""
    style = rng.choice(["plain", "comma", "wan", "chinese", "plain", "approx"])
    if style == "comma" and n >= 1000:
        return f"{n:,}{unit}"
    if style == "wan" and n >= 10000 and n % 1000 == 0:
        return f"{n / 10000:g}万{unit}"
    if style == "chinese" and n % 100 == 0 and n < 10000:
        q, r = divmod(n, 1000)
        s = (CN_DIGITS[q] + "千" if q else "") + (CN_DIGITS[r // 100] + "百" if r else "")
        return s + unit
    if style == "approx" and n % 100 == 0:
        return f"约{n}{unit}"
    return f"{n}{unit}"


def main() -> None:
    """Write depots.csv, inventory.csv and places.csv next to this script."""
    rng = random.Random(SEED)
    depots: list[dict[str, object]] = []
    lines: list[dict[str, object]] = []
    places: list[dict[str, object]] = []

    for code, (county, lon, lat, _glon, _glat) in SEATS.items():
        name, pop = SEAT_TOWN[code]
        places.append(
            {
                "id": f"P{code}00",
                "name": name,
                "county": county,
                "adcode": code,
                "kind": "城区",
                "lon": lon,
                "lat": lat,
                "population": pop * 10000,
                "illustrative": "是",
            }
        )
        for k, (tname, tlon, tlat, tpop) in enumerate(TOWNS[county], start=1):
            places.append(
                {
                    "id": f"P{code}{k:02d}",
                    "name": tname,
                    "county": county,
                    "adcode": code,
                    "kind": "乡" if tname.endswith("乡") else "镇",
                    "lon": tlon,
                    "lat": tlat,
                    "population": int(tpop * 10000),
                    "illustrative": "是",
                }
            )

    def depot(
        did,
        name,
        level,
        lon,
        lat,
        *,
        adcode,
        county,
        crs="WGS84",
        rtype="实物储备",
        lead="",
        startup="",
        note="",
    ):
        depots.append(
            {
                "id": did,
                "name": name,
                "level": level,
                "adcode": adcode,
                "county": county,
                "lon": lon,
                "lat": lat,
                "crs": crs,
                "reserve_type": rtype,
                "lead_time_h": lead,
                "startup_delay_h": startup,
                "illustrative": "是",
                "note": note,
            }
        )

    def add(did, item, qty_text, *, unit="", production="", expiry="", price="", rate="", batch=""):
        lines.append(
            {
                "depot_id": did,
                "item": item,
                "quantity": qty_text,
                "unit": unit,
                "batch": batch,
                "production_date": production,
                "expiry_date": expiry,
                "unit_price_cny": price,
                "daily_rate": rate,
                "illustrative": "是",
            }
        )

    # municipal depots (市级): about 18 kinds, 2.6万件 in all
    depot(
        "QHD-M01",
        "秦皇岛市救灾物资储备库",
        "市",
        119.5520,
        39.9560,
        adcode="130300",
        county="海港区",
        note="site illustrative",
    )
    depot(
        "QHD-M02",
        "秦皇岛市救灾物资储备库北戴河新区库点",
        "市",
        119.3300,
        39.7400,
        adcode="130300",
        county="抚宁区",
        note="site illustrative",
    )
    batch = 0
    for item, unit, qty in ITEMS:
        share = 0.7 if item not in ("矿泉水", "方便食品") else 0.6
        for did, q in (
            ("QHD-M01", round(qty * share / 10) * 10),
            ("QHD-M02", qty - round(qty * share / 10) * 10),
        ):
            batch += 1
            prod = production_date(item, rng) if item in PERISHABLE else ""
            add(did, item, phrase(q, unit, rng), production=prod, batch=f"QHD-{2025 + batch % 2}-{batch:03d}")

    # county depots (县级) at the real county seats; three copied in GCJ-02 from a web map
    scale = {
        "130302": 1.2,
        "130303": 0.7,
        "130304": 0.6,
        "130306": 1.0,
        "130321": 1.1,
        "130322": 1.1,
        "130324": 0.9,
    }
    for k, (code, (county, lon, lat, glon, glat)) in enumerate(SEATS.items()):
        did = f"QHD-C{code}"
        if k % 3 == 0:
            depot(
                did,
                f"{county}救灾物资储备库",
                "县",
                glon,
                glat,
                adcode=code,
                county=county,
                crs="GCJ02",
                note="county seat (Amap centre), coordinates as copied from the web map",
            )
        else:
            depot(
                did,
                f"{county}救灾物资储备库",
                "县",
                lon,
                lat,
                adcode=code,
                county=county,
                note="county seat (Amap centre)",
            )
        for item, unit, qty in ITEMS:
            if rng.random() < 0.2 and item not in ("12㎡单帐篷", "棉被", "矿泉水", "方便食品"):
                continue
            q = int(round(qty * 0.72 * scale[code] * rng.uniform(0.7, 1.3), -1))
            prod = production_date(item, rng) if item in PERISHABLE else ""
            if code == "130321" and item == "矿泉水":
                add(did, "饮用水", "满足5千人3天", production="2026-05-10")
                continue
            if code == "130306" and item == "方便食品":
                add(did, item, "可保障1万人3天基本生活", production="2026-08-01")
                continue
            add(did, item, phrase(q, unit, rng), production=prod)

    # township points (乡镇): ten points with a small mixed stock
    points = [
        ("130321", "祖山镇"),
        ("130321", "双山子镇"),
        ("130321", "木头凳镇"),
        ("130324", "燕河营镇"),
        ("130324", "刘田各庄镇"),
        ("130322", "泥井镇"),
        ("130322", "靖安镇"),
        ("130306", "台营镇"),
        ("130306", "大新寨镇"),
        ("130302", "石门寨镇"),
    ]
    for code, tname in points:
        county = SEATS[code][0]
        tlon, tlat = next((x, y) for n, x, y, _ in TOWNS[county] if n == tname)
        did = f"QHD-T{code}-{[p for p in points if p[0] == code].index((code, tname)) + 1:02d}"
        depot(
            did,
            f"{tname}救灾物资储备点",
            "乡镇",
            tlon,
            tlat,
            adcode=code,
            county=county,
            note="township seat; coordinates illustrative",
        )
        if tname == "燕河营镇":
            add(did, "基本生活物资", "满足500名集中转移安置人口3天", production="2026-04-01")
            continue
        for item, unit, qty in ITEMS:
            if item not in (
                "12㎡单帐篷",
                "棉被",
                "棉大衣",
                "折叠床",
                "矿泉水",
                "方便食品",
                "手电筒",
                "家庭应急包",
            ):
                continue
            q = int(round(qty * 0.06 * rng.uniform(0.6, 1.4), -1))
            prod = production_date(item, rng) if item in PERISHABLE else ""
            add(did, item, phrase(q, unit, rng), production=prod)

    # contract (协议储备) and production-capacity (产能储备) reserves
    depot(
        "QHD-K01",
        "协议储备·市区商超配送中心",
        "市",
        119.6050,
        39.9350,
        adcode="130300",
        county="海港区",
        rtype="协议储备",
        lead="6",
        note="supplier name and terms illustrative",
    )
    add("QHD-K01", "矿泉水", "8000箱")
    add("QHD-K01", "方便食品", "5000箱")
    depot(
        "QHD-K02",
        "协议储备·昌黎食品企业",
        "县",
        119.1750,
        39.7000,
        adcode="130322",
        county="昌黎县",
        rtype="协议储备",
        lead="8",
        note="supplier name and terms illustrative",
    )
    add("QHD-K02", "方便食品", "4000箱")
    add("QHD-K02", "压缩饼干", "500箱")
    depot(
        "QHD-P01",
        "产能储备·被服生产企业",
        "市",
        119.2500,
        39.8800,
        adcode="130300",
        county="抚宁区",
        rtype="产能储备",
        startup="48",
        note="factory and rates illustrative",
    )
    add("QHD-P01", "棉被", "30000床", rate="2000")
    add("QHD-P01", "棉大衣", "20000件", rate="1500")

    def write(name: str, rows: list[dict[str, object]]) -> None:
        with open(HERE / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    write("depots.csv", depots)
    write("inventory.csv", lines)
    write("places.csv", places)


if __name__ == "__main__":
    main()
