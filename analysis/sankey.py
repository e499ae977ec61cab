"""A column Sankey diagram drawn with matplotlib patches alone.

matplotlib's own `Sankey` draws one flow splitting and joining; a flow matrix between
many nodes needs nodes in columns joined by bands whose width is the money moved,
which is what `draw` does. Nodes sit in the column they are given; a band goes from
its source's right edge to its target's left edge, stacked in node order so that bands
do not cross at their ends.
"""

import numpy as np
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

NODE_WIDTH = 0.04  # of the distance between two columns
GAP = 0.03  # of the tallest column's total, between nodes


def _layout(flows, columns):
    """Each node's (x, bottom, height): height is its larger of money in and out."""
    through = {}
    for (source, target), value in flows.items():
        through.setdefault(source, [0.0, 0.0])[1] += value
        through.setdefault(target, [0.0, 0.0])[0] += value
    size = {node: max(v) for node, v in through.items()}
    by_column = {}
    for node in columns:
        if size.get(node, 0) > 0:
            by_column.setdefault(columns[node], []).append(node)
    tallest = max(sum(size[n] for n in nodes) for nodes in by_column.values())
    gap = GAP * tallest
    layout = {}
    for column, nodes in by_column.items():
        total = sum(size[n] for n in nodes) + gap * (len(nodes) - 1)
        top = (tallest + gap * (max(len(v) for v in by_column.values()) - 1) + total) / 2
        for node in nodes:
            top -= size[node]
            layout[node] = (float(column), top, size[node])
            top -= gap
    return layout


def _band(x0, y0, x1, y1, width):
    """A band of vertical `width` from (x0, bottom y0) to (x1, bottom y1), S-shaped."""
    middle = (x0 + x1) / 2
    vertices = [(x0, y0), (middle, y0), (middle, y1), (x1, y1), (x1, y1 + width),
                (middle, y1 + width), (middle, y0 + width), (x0, y0 + width), (x0, y0)]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4,
             Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]
    return Path(vertices, codes)


def draw(ax, flows, columns, colors, label=lambda node, value: node):
    """Draw `flows` {(source, target): value > 0} with nodes placed in `columns`
    {node: column index}; bands take the colour `colors(source)`; nodes are labelled
    `label(node, throughput)`, on the left of the first column and the right of others.
    """
    flows = {k: v for k, v in flows.items() if v > 0 and k[0] in columns and k[1] in columns}
    if not flows:
        ax.text(0.5, 0.5, "no flows", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    layout = _layout(flows, columns)
    out_offset = {n: 0.0 for n in layout}
    in_offset = {n: 0.0 for n in layout}
    order = sorted(flows, key=lambda k: (-layout[k[0]][1], -layout[k[1]][1]))
    half = NODE_WIDTH / 2
    for source, target in order:
        value = flows[(source, target)]
        xs, bottom_s, height_s = layout[source]
        xt, bottom_t, height_t = layout[target]
        y0 = bottom_s + height_s - out_offset[source] - value
        y1 = bottom_t + height_t - in_offset[target] - value
        out_offset[source] += value
        in_offset[target] += value
        ax.add_patch(PathPatch(_band(xs + half, y0, xt - half, y1, value),
                               facecolor=colors(source), edgecolor="none", alpha=0.45))
    first = min(x for x, _, _ in layout.values())
    last = max(x for x, _, _ in layout.values())
    for node, (x, bottom, height) in layout.items():
        ax.add_patch(Rectangle((x - half, bottom), NODE_WIDTH, height, facecolor="0.25"))
        left = x == first
        ax.text(x - half - 0.02 if left else x + half + 0.02, bottom + height / 2,
                label(node, height), ha="right" if left else "left", va="center", fontsize=8,
                bbox=None if left or x == last else dict(facecolor="white", alpha=0.8, lw=0,
                                                         pad=1))
    xs = [x for x, _, _ in layout.values()]
    tops = [b + h for _, b, h in layout.values()]
    ax.set_xlim(min(xs) - 0.75, max(xs) + 0.75)
    ax.set_ylim(0, max(tops) * 1.02)
    ax.set_axis_off()


def matrix_flows(matrix, sources, targets):
    """{(source, target): value} from a 2-D flow matrix and its node labels."""
    matrix = np.asarray(matrix)
    return {(sources[i], targets[j]): float(matrix[i, j])
            for i, j in zip(*np.nonzero(matrix > 0))}
