"""Synthetic catalogues for benchmarks: N valid bundles with realistic weight.

Each pattern carries ~4 KB of prose, a 5–15 node diagram, 3 relations and 5
tags, spread over 20 categories — the shape design.md's figures assume.
Output is deterministic for a given N and seed, and a bundle does not depend on N:
each draws from its own generator (seeded by the seed and its index) and relates
only to bundles of its own block of :data:`BLOCK` consecutive indexes, so the first
100 bundles — and their pages — are the same in catalogues of 100 and of 1,000.

    python benchmarks/synthetic.py OUT_DIR --count 1000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

CATEGORY_COUNT = 20
#: Relations stay inside blocks of this many consecutive bundles (the smallest size benchmarked).
BLOCK = 100
TAGS = [f"tag-{index:02d}" for index in range(40)]
SYMPTOMS = [f"symptom-{index:02d}" for index in range(30)]
KINDS = [
    "aws.compute.Lambda", "aws.compute.EC2", "aws.compute.ECS", "aws.database.RDS", "aws.database.Dynamodb",
    "aws.integration.SQS", "aws.integration.SNS", "aws.network.ELB", "aws.network.APIGateway",
    "aws.storage.S3", "aws.management.Cloudwatch", "k8s.compute.Pod", "onprem.queue.Kafka",
    "onprem.client.Client", "gcp.compute.GKE", "azure.compute.FunctionApps",
]
WORDS = (
    "request queue consumer producer latency throughput replica region zone partition shard cache "
    "timeout retry budget capacity backlog failover snapshot tenant cell gateway service database "
    "stream event schema index lease heartbeat quorum leader follower checkpoint watermark alarm "
    "metric threshold deployment rollback canary traffic weight policy boundary contract"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return (" ".join(chosen)).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(9, 15)) for _ in range(sentences))


def catalogue_yaml(count: int) -> str:
    lines = ["categories:"]
    for index in range(CATEGORY_COUNT):
        lines += [f"  - id: category-{index:02d}", f"    title: Category {index:02d}",
                  f"    description: Synthetic category number {index} used to exercise the catalogue at scale."]
    lines.append("tags: [" + ", ".join(TAGS) + "]")
    lines.append("symptoms:")
    for symptom in SYMPTOMS:
        lines += [f"  - id: {symptom}", f"    title: Synthetic problem {symptom}"]
    lines += ["series:", "  - id: synthetic-path", "    title: Synthetic path",
              "    description: The first ten synthetic patterns in order, to exercise series pages.",
              "    patterns: [" + ", ".join(f"synthetic-{i:05d}" for i in range(min(10, count))) + "]"]
    lines.append("repository_hosts: [github.com]")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def pattern_yaml(index: int, count: int, rng: random.Random, relations: int = 3) -> str:
    tags = rng.sample(TAGS, 5)
    block = range(index - index % BLOCK, min(index - index % BLOCK + BLOCK, count))
    others = [i for i in rng.sample(block, min(relations + 1, len(block))) if i != index][:relations]
    node_count = rng.randint(5, 15)
    out = [
        f"title: Synthetic pattern {index:05d}",
        f"summary: {_quoted(_sentence(rng, 12))}",
        f"category: category-{index % CATEGORY_COUNT:02d}",
        "tags: [" + ", ".join(tags) + "]",
        "status: reviewed",
        'owners: ["@synthetic/team"]',
        "last_reviewed: 2026-10-01",
        "review_interval_days: 365",
        "pillars:",
        f"  reliability: {_quoted(_sentence(rng, 8))}",
        f"  cost_optimization: {_quoted(_sentence(rng, 8))}",
        "pressure:",
        f"  force: {_quoted(_paragraph(rng, 3))}",
        "  signals:",
        *[f"    - {_quoted(_sentence(rng, 10))}" for _ in range(3)],
        f"  symptoms: [{rng.choice(SYMPTOMS)}]",
        "when_to_use:", *[f"  - {_quoted(_sentence(rng, 12))}" for _ in range(3)],
        "when_not_to_use:", *[f"  - {_quoted(_sentence(rng, 12))}" for _ in range(3)],
        "failure_edges:",
    ]
    for _ in range(3):
        out.append(f"  - fails: {_quoted(_sentence(rng, 10))}")
        for name in ("trigger", "blast_radius", "detection", "mitigation", "recovery"):
            out.append(f"    {name}: {_quoted(_sentence(rng, 10))}")
    out += [
        "cost:", "  estimate:", "    low: 10", "    high: 400", "    currency: USD", "    period: month",
        "    as_of: 2026-10-01", f"    assumptions: {_quoted(_paragraph(rng, 2))}",
        "  drivers:",
        "    - component: Compute", "      dimension: instance-hours",
        f"      scaling: {_quoted(_sentence(rng, 10))}",
        "operations:", "  monitoring:",
        "    slis:", f"      - {_quoted(_sentence(rng, 10))}",
        "    alarms:", f"      - {_quoted(_sentence(rng, 10))}",
        "  runbooks:", f"    - {_quoted(_sentence(rng, 10))}",
        "  skills:", f"    - {_quoted(_sentence(rng, 10))}",
        "  toil:", f"    - {_quoted(_sentence(rng, 10))}",
        "repositories:",
        "  - url: https://github.com/aws-samples/serverless-patterns",
        "    iac: sam",
        "    ref: fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b",
        f"    description: {_quoted(_sentence(rng, 10))}",
        "relations:",
        *[f"  - {{type: requires, pattern: synthetic-{other:05d}}}" for other in others or [index]],
        "diagrams:",
        "  - id: overview",
        f"    title: Synthetic diagram {index}",
        f"    caption: {_quoted(_sentence(rng, 10))}",
        f"    alt: {_quoted(_sentence(rng, 16))}",
        "    clusters:",
        "      - {id: region, label: Region}",
        "    nodes:",
        *[f"      - {{id: n{n}, label: Node {n}, kind: {rng.choice(KINDS)}"
          + (", cluster: region}" if n % 2 else "}") for n in range(node_count)],
        "    edges:",
        *[f"      - {{from: n{n}, to: n{n + 1}, label: step {n}}}" for n in range(node_count - 1)],
    ]
    return "\n".join(out) + "\n"


def solution_md(rng: random.Random) -> str:
    parts = []
    for title in ("Components", "Flow", "Boundaries"):
        parts.append(f"## {title}\n\n{_paragraph(rng, 4)}\n")
    return "\n".join(parts)


def write_catalogue(target: Path, count: int, seed: int = 7, relations: int = 3) -> Path:
    """Write ``count`` bundles plus catalogue.yaml into ``target`` (replaced),
    each pattern requiring ``relations`` others."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "catalogue.yaml").write_text(catalogue_yaml(count), encoding="utf-8")
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        bundle = target / f"synthetic-{index:05d}"
        bundle.mkdir()
        (bundle / "pattern.yaml").write_text(pattern_yaml(index, count, rng, relations), encoding="utf-8")
        (bundle / "solution.md").write_text(solution_md(rng), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    write_catalogue(arguments.target, arguments.count, arguments.seed)


if __name__ == "__main__":
    main()
