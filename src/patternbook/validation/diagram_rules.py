"""Cross-field rules of a diagram spec: ids resolve, are unique, clusters nest sanely."""

from __future__ import annotations

from collections.abc import Callable

from patternbook.errors import Diagnostic, field_path
from patternbook.loader import YamlDocument
from patternbook.schema import Diagram, did_you_mean
from patternbook.schema.diagram import MAX_CLUSTER_DEPTH

__all__ = ["check_diagrams"]

KindCheck = Callable[[str], str | None]
"""Returns ``None`` for a known node kind, else a hint (closest matches)."""


def check_diagrams(diagrams: list[Diagram], document: YamlDocument,
                   kind_check: KindCheck | None = None) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    shown = document.shown_as

    def problem(path: tuple, code: str, message: str, hint: str = "") -> None:
        line, column = document.position_of(path)
        problems.append(Diagnostic(shown, line, column, code, message, field=field_path(path), hint=hint))

    seen_diagrams: set[str] = set()
    for d_index, diagram in enumerate(diagrams):
        base = ("diagrams", d_index)
        if diagram.id in seen_diagrams:
            problem((*base, "id"), "PB207", f"diagram id '{diagram.id}' is used twice")
        seen_diagrams.add(diagram.id)

        clusters = {}
        for c_index, cluster in enumerate(diagram.clusters):
            if cluster.id in clusters:
                problem((*base, "clusters", c_index, "id"), "PB207", f"cluster id '{cluster.id}' is used twice")
            clusters[cluster.id] = (c_index, cluster)
        for c_index, cluster in enumerate(diagram.clusters):
            if cluster.parent is None:
                continue
            if cluster.parent not in clusters:
                problem((*base, "clusters", c_index, "parent"), "PB502",
                        f"parent '{cluster.parent}' is not a cluster of this diagram",
                        did_you_mean(cluster.parent, list(clusters)))
                continue
            depth, current, visited = 1, cluster, {cluster.id}
            while current.parent is not None and current.parent in clusters:
                current = clusters[current.parent][1]
                depth += 1
                if current.id in visited:
                    problem((*base, "clusters", c_index, "parent"), "PB504",
                            f"cluster '{cluster.id}' is inside itself (a parent cycle)")
                    break
                visited.add(current.id)
            else:
                if depth > MAX_CLUSTER_DEPTH:
                    problem((*base, "clusters", c_index, "parent"), "PB504",
                            f"clusters nest {depth} deep; at most {MAX_CLUSTER_DEPTH} "
                            "(region › availability zone › subnet)")

        nodes: set[str] = set()
        for n_index, node in enumerate(diagram.nodes):
            path = (*base, "nodes", n_index)
            if node.id in nodes:
                problem((*path, "id"), "PB207", f"node id '{node.id}' is used twice")
            if node.id in clusters:
                problem((*path, "id"), "PB207", f"node id '{node.id}' is also a cluster id")
            nodes.add(node.id)
            if node.cluster is not None and node.cluster not in clusters:
                problem((*path, "cluster"), "PB502", f"cluster '{node.cluster}' is not defined in this diagram",
                        did_you_mean(node.cluster, list(clusters)))
            if kind_check is not None:
                hint = kind_check(node.kind)
                if hint is not None:
                    problem((*path, "kind"), "PB501", f"'{node.kind}' is not a known node kind", hint)

        for e_index, edge in enumerate(diagram.edges):
            for end, name in ((edge.source, "from"), (edge.target, "to")):
                if end not in nodes:
                    problem((*base, "edges", e_index, name), "PB502",
                            f"'{end}' is not a node of this diagram", did_you_mean(end, list(nodes)))
    return problems
