"""Road matrices: project engine (scipy CSR) vs networkx on a >= 1e5-node tiled real network.

Builds a large graph by tiling the real Shenzhen Pingshan OSM sample (../shared) in a grid
of copies, stitched by two-way connector roads between neighbouring copies, then times a
20 x 1,000 travel-time matrix with ``logistics.roads.matrix.node_matrices`` and with
``networkx.single_source_dijkstra_path_length`` (one call per source) on the same graph, and
checks that the values agree. Peak memory is measured in a fresh subprocess with
``tracemalloc`` (network arrays + one matrix), reported per 10^6 edges.

Run from the repository root::

    python bench/matrix.py            # 6 x 6 tiles, about 110,000 nodes
    python bench/matrix.py --tiles 8  # about 195,000 nodes
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _args import positive_int  # bench/'s own module

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PINGSHAN = ROOT / ".." / "shared" / "data" / "roads" / "shenzhen_pingshan_osm_roads" / "pingshan_roads.shp"
N_SOURCES, N_TARGETS, SEED, REPEATS = 20, 1000, 0, 3


def tiled_network(tiles: int):
    """Tile the Pingshan network ``tiles x tiles`` times with connector roads between copies."""
    from logistics.roads import network_from_arrays, network_from_file

    base = network_from_file(PINGSHAN)
    n, e = base.n_nodes, base.n_edges
    w = float(base.lon.max() - base.lon.min()) + 0.002
    h = float(base.lat.max() - base.lat.min()) + 0.002
    main = np.flatnonzero(base.main_component())
    east = main[np.argsort(-base.lon[main])[:8]]
    west = main[np.argsort(base.lon[main])[:8]]
    north = main[np.argsort(-base.lat[main])[:8]]
    south = main[np.argsort(base.lat[main])[:8]]
    lon, lat, tail, head, length, tt = [], [], [], [], [], []
    for i in range(tiles):
        for j in range(tiles):
            k = i * tiles + j
            lon.append(base.lon + i * w)
            lat.append(base.lat + j * h)
            tail.append(base.tail + k * n)
            head.append(base.head + k * n)
            length.append(base.length_m)
            tt.append(base.travel_time_s)
    ct, ch = [], []
    for i in range(tiles):
        for j in range(tiles):
            k = i * tiles + j
            if i + 1 < tiles:  # east side of tile k to west side of its east neighbour
                ct += list(east + k * n)
                ch += list(west + (k + tiles) * n)
            if j + 1 < tiles:
                ct += list(north + k * n)
                ch += list(south + (k + 1) * n)
    ct, ch = np.array(ct), np.array(ch)
    lon_all, lat_all = np.concatenate(lon), np.concatenate(lat)
    from logistics.roads import haversine_m

    clen = haversine_m(lon_all[ct], lat_all[ct], lon_all[ch], lat_all[ch])
    ctt = clen / (50 / 3.6)
    return network_from_arrays(
        lon=lon_all,
        lat=lat_all,
        tail=np.concatenate([*tail, ct, ch]),
        head=np.concatenate([*head, ch, ct]),
        highway=np.concatenate([np.tile(base.highway, tiles * tiles), ["primary"] * (2 * len(ct))]),
        length_m=np.concatenate([*length, clen, clen]),
        travel_time_s=np.concatenate([*tt, ctt, ctt]),
    ), e


def pick(net):
    rng = np.random.default_rng(SEED)
    main = np.flatnonzero(net.main_component())
    return rng.choice(main, N_SOURCES, replace=False), rng.choice(main, N_TARGETS, replace=False)


def memory_child(tiles: int) -> None:
    """Subprocess: peak traced memory of building the network and one matrix."""
    import tracemalloc

    tracemalloc.start()
    net, _ = tiled_network(tiles)
    built = tracemalloc.get_traced_memory()[1]
    from logistics.roads import node_matrices

    src, tgt = pick(net)
    tracemalloc.reset_peak()
    node_matrices(net, src, tgt, weight="travel_time_s", other=True)
    matrix_peak = tracemalloc.get_traced_memory()[1]
    arrays = sum(v.nbytes for v in vars(net).values() if isinstance(v, np.ndarray))
    print(
        json.dumps(
            {
                "edges": net.n_edges,
                "build_peak": built,
                "matrix_peak": matrix_peak,
                "arrays": arrays,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiles", type=positive_int, default=6)
    ap.add_argument("--memory-child", action="store_true")
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.tiles)
        return
    import networkx as nx

    from logistics.roads import node_matrices

    t0 = time.perf_counter()
    net, base_edges = tiled_network(args.tiles)
    print(
        f"graph: {args.tiles}x{args.tiles} tiles of Pingshan ({base_edges} edges each): "
        f"{net.n_nodes:,} nodes, {net.n_edges:,} edges, built in {time.perf_counter() - t0:.1f} s"
    )
    src, tgt = pick(net)
    # networkx baseline on the same graph (simple DiGraph, cheapest parallel edge)
    G = nx.DiGraph()
    G.add_nodes_from(range(net.n_nodes))
    order = np.argsort(-net.travel_time_s)  # later (cheaper) edges overwrite parallel ones
    G.add_weighted_edges_from(
        zip(
            net.tail[order].tolist(),
            net.head[order].tolist(),
            net.travel_time_s[order].tolist(),
            strict=True,
        ),
        weight="travel_time_s",
    )
    net.compressed("travel_time_s", 0.0)  # CSR built once per network, like G above

    def best(fn, repeats=REPEATS):
        times, out = [], None
        for _ in range(repeats):
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        return min(times), out

    t_ours, (ours, _) = best(lambda: node_matrices(net, src, tgt, weight="travel_time_s", other=False))
    t_ours_len, (ours_len, _) = best(lambda: node_matrices(net, src, tgt, weight="travel_time_s", other=True))

    def nx_matrix():
        ref = np.empty((len(src), len(tgt)))
        for i, s in enumerate(src):
            d = nx.single_source_dijkstra_path_length(G, int(s), weight="travel_time_s")
            ref[i] = [d.get(int(x), np.inf) for x in tgt]
        return ref

    t_nx, ref = best(nx_matrix)
    assert np.allclose(ours, ref, rtol=1e-9) and np.allclose(ours_len, ref, rtol=1e-9)
    print(
        f"{N_SOURCES} x {N_TARGETS} travel-time matrix, best of {REPEATS} "
        "(values equal to networkx within 1e-9):"
    )
    print(f"  networkx single_source_dijkstra_path_length: {t_nx:8.3f} s")
    for label, t in (("times only", t_ours), ("+ path lengths", t_ours_len)):
        print(f"  logistics node_matrices ({label:<15}): {t:8.3f} s   speed-up {t_nx / t:6.1f}x")
    out = subprocess.run(
        [sys.executable, __file__, "--tiles", str(args.tiles), "--memory-child"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    mem = json.loads(out.strip().splitlines()[-1])
    per = 1e6 / mem["edges"] / 2**20
    print("memory per 10^6 edges (fresh subprocess, tracemalloc):")
    print(f"  network arrays           : {mem['arrays'] * per:7.1f} MiB")
    print(f"  peak while building      : {mem['build_peak'] * per:7.1f} MiB")
    print(f"  peak during the matrix   : {mem['matrix_peak'] * per:7.1f} MiB (incl. CSR + 20 trees)")


if __name__ == "__main__":
    main()
