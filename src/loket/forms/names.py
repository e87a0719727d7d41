"""Stable HTML input names for fields: one per (field, node), so listing items never collide."""

from __future__ import annotations

import hashlib

from rdflib.term import Node

FIELDS_MARKER = "__fields"
ACTION = "__action"


def field_name(field_node: Node, node: Node) -> str:
    digest = hashlib.blake2s(f"{field_node}|{node}".encode(), digest_size=6).hexdigest()
    return f"f-{digest}"
