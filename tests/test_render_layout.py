"""Map geometry: the seeded force layout (the geographic one: test_render_geo.py)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from app.render.layout import force_layout

ROOT = Path(__file__).resolve().parents[1]


def bbox(pos, nodes):
    xs = [pos[n][0] for n in nodes]
    ys = [pos[n][1] for n in nodes]
    return min(xs), min(ys), max(xs), max(ys)


def disjoint(a, b):
    return a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


def pieces_graph() -> nx.Graph:
    """Three components of different shapes and four isolated organizations."""
    G = nx.Graph()
    G.add_edges_from(nx.complete_graph([f"k{i}" for i in range(5)]).edges())
    G.add_edges_from(nx.cycle_graph([f"c{i}" for i in range(8)]).edges())
    G.add_edges_from(nx.path_graph([f"p{i}" for i in range(4)]).edges())
    G.add_nodes_from(f"iso{i}" for i in range(4))
    return G


# -- force_layout ---------------------------------------------------------------------------


def test_empty_and_single_node():
    assert force_layout(nx.Graph()) == {}
    assert force_layout(nx.empty_graph(["co-acme"])) == {"co-acme": (0.0, 0.0)}


def test_every_node_placed_as_float_pairs():
    G = pieces_graph()
    pos = force_layout(G)
    assert set(pos) == set(G)
    assert all(type(x) is float and type(y) is float for x, y in pos.values())
    assert len(set(pos.values())) == len(G)  # no two nodes on the same spot


def test_same_seed_same_output_other_seed_other_output():
    G = nx.relabel_nodes(nx.gnm_random_graph(60, 150, seed=4), lambda i: f"co-{i}")
    assert force_layout(G, seed=5) == force_layout(G, seed=5)
    assert force_layout(G, seed=5) != force_layout(G, seed=6)


def test_node_and_edge_insertion_order_do_not_matter():
    G = pieces_graph()
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G)))
    H.add_edges_from((v, u) for u, v in reversed(list(G.edges())))
    assert force_layout(H, seed=2) == force_layout(G, seed=2)


def test_global_random_state_neither_used_nor_consumed():
    G = nx.relabel_nodes(nx.gnm_random_graph(40, 80, seed=1), str)
    random.seed(1)
    first = force_layout(G, seed=3)
    state = random.getstate()
    random.seed(99)
    second = force_layout(G, seed=3)
    assert first == second
    random.seed(1)
    force_layout(G, seed=3)
    assert random.getstate() == state


SCRIPT = """
import json, networkx as nx
from app.render.layout import force_layout
G = nx.relabel_nodes(nx.gnm_random_graph(80, 200, seed=7), lambda i: f"co-{i}")
G.add_nodes_from(["iso-a", "iso-b"])
print(json.dumps(sorted(force_layout(G, seed=11).items())))
"""


def test_deterministic_in_a_fresh_process():
    runs = [
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
        ).stdout
        for hash_seed in (1, 2)
    ]
    assert runs[0] == runs[1]
    G = nx.relabel_nodes(nx.gnm_random_graph(80, 200, seed=7), lambda i: f"co-{i}")
    G.add_nodes_from(["iso-a", "iso-b"])
    here = json.loads(json.dumps(sorted(force_layout(G, seed=11).items())))
    assert json.loads(runs[0]) == here


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_fits_the_scale_box_centred(scale):
    pos = force_layout(pieces_graph(), scale=scale)
    x0, y0, x1, y1 = bbox(pos, pos)
    assert max(x1 - x0, y1 - y0) == pytest.approx(2 * scale)
    assert max(abs(c) for xy in pos.values() for c in xy) <= scale * (1 + 1e-9)
    assert (x0 + x1) / 2 == pytest.approx(0, abs=1e-9 * scale)
    assert (y0 + y1) / 2 == pytest.approx(0, abs=1e-9 * scale)


def test_scale_stretches_both_axes_alike():
    G = pieces_graph()
    small, large = force_layout(G, scale=1.0), force_layout(G, scale=250.0)
    for node in G:
        assert large[node] == pytest.approx(tuple(250.0 * c for c in small[node]))


def test_a_long_path_lies_flat():
    pos = force_layout(nx.path_graph(30))
    x0, y0, x1, y1 = bbox(pos, pos)
    assert x1 - x0 == pytest.approx(2000.0)
    assert y1 - y0 < (x1 - x0) / 2


def test_components_do_not_overlap_and_isolates_sit_underneath():
    G = pieces_graph()
    pos = force_layout(G, seed=1)
    parts = [c for c in nx.connected_components(G) if len(c) > 1]
    boxes = [bbox(pos, part) for part in parts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert disjoint(a, b)
    lowest = max(box[3] for box in boxes)
    isolates = [f"iso{i}" for i in range(4)]
    assert all(pos[n][1] > lowest for n in isolates)
    assert len({pos[n][1] for n in isolates}) == 1  # one tidy row


def test_only_isolates_make_a_grid():
    G = nx.empty_graph([f"co-{i}" for i in range(6)])
    pos = force_layout(G)
    assert len(set(pos.values())) == 6
    assert len({x for x, _ in pos.values()}) == 3  # ceil(sqrt(6 * 1.5)) columns
    assert len({y for _, y in pos.values()}) == 2


def test_weights_directed_and_multigraph_inputs():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("b", "a", weight=1.0)
    G.add_edge("b", "c")
    G.add_edge("c", "c")  # self-loop: ignored
    pos = force_layout(G, weight="weight")
    assert set(pos) == {"a", "b", "c"}
    assert pos == force_layout(G, weight="weight")
    G.add_edge("a", "c", weight=0.0)
    with pytest.raises(ValueError, match="positive"):
        force_layout(G, weight="weight")
