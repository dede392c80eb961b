"""Byte-identical Pagefind output: filter chunks written in a stable order.

Pagefind 1.5 writes each filter's values in the iteration order of a Rust hash
map, which is seeded at random per process, so two runs over the same records
give different filter chunks (and so different chunk names, metadata file and
``pagefind-entry.json``). Everything else it writes is stable. This module
decodes those few small files (gzip around a ``pagefind_dcd`` signature and
CBOR), sorts the filter values and the filter list, re-encodes them, and renames
them by a hash of their content, so builds stay byte-identical
(``SOURCE_DATE_EPOCH``) with search included.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

__all__ = ["stabilise_filter_order"]

SIGNATURE = b"pagefind_dcd"


class _Raw(bytes):
    """A CBOR item kept as its original bytes (floats, simple values)."""


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if major == 7:
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0)
        return _Raw(data[at - 1:at + size]), at + size
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError(f"unsupported CBOR length {info}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major == 2:
        return bytes(data[at:at + value]), at + value
    if major == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(value):
            key, at = _decode(data, at)
            item, at = _decode(data, at)
            pairs.append((key, item))
        return dict(pairs), at
    raise ValueError(f"unsupported CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size, fmt in ((24, 1, ">B"), (25, 2, ">H"), (26, 4, ">I"), (27, 8, ">Q")):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise ValueError("integer too large")


def _encode(item: Any) -> bytes:
    if isinstance(item, _Raw):
        return bytes(item)
    if isinstance(item, bool) or item is None:
        raise ValueError("unexpected simple value")
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        encoded = item.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(_encode(x) for x in item)
    if isinstance(item, dict):
        return _head(5, len(item)) + b"".join(_encode(k) + _encode(v) for k, v in item.items())
    raise ValueError(f"cannot encode {type(item).__name__}")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    item, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path.name} has trailing bytes")
    return item


def _write(item: Any) -> bytes:
    return gzip.compress(SIGNATURE + _encode(item), compresslevel=9, mtime=0)


def _sorted_deep(item: Any) -> Any:
    """A filter chunk is ``[name, [[value, [pages]], ...]]``: sort values and page numbers."""
    name, values = item
    return [name, sorted(([value, sorted(pages)] for value, pages in values), key=lambda pair: pair[0])]


def stabilise_filter_order(output: Path) -> None:
    """Rewrite the filter chunks, the metadata file and the entry of the index in ``output``."""
    entry_path = output / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}
    for chunk in sorted((output / "filter").glob("*.pf_filter")):
        body = _write(_sorted_deep(_read(chunk)))
        language = chunk.stem.split("_", 1)[0]
        name = f"{language}_{hashlib.sha256(body).hexdigest()[:7]}"
        chunk.unlink()
        (output / "filter" / f"{name}.pf_filter").write_bytes(body)
        renamed[chunk.stem] = name

    def rename(item: Any) -> Any:
        if isinstance(item, str):
            return renamed.get(item, item)
        if isinstance(item, list):
            items = [rename(x) for x in item]
            pairs = all(isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) and x[1] in renamed.values()
                        for x in items)
            return sorted(items, key=lambda pair: pair[0]) if items and pairs else items
        if isinstance(item, dict):
            return {k: rename(v) for k, v in item.items()}
        return item

    for language in entry["languages"].values():
        meta = output / f"pagefind.{language['hash']}.pf_meta"
        body = _write(rename(_read(meta)))
        prefix = language["hash"].split("_", 1)[0]
        language["hash"] = f"{prefix}_{hashlib.sha256(body).hexdigest()[:10]}"
        meta.unlink()
        (output / f"pagefind.{language['hash']}.pf_meta").write_bytes(body)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
                          encoding="utf-8")
