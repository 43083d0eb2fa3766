"""Serialization through one cattrs converter: every geotech value to plain data and back
(``to_data``, ``from_data``), worlds as TOML or JSON documents (``load_world``,
``dump_world``, ``loads_world``, ``dumps_world``), and the text writers (``dumps_json``,
``dumps_toml``).

Modules: ``problems`` (how problems are worded, with field paths), ``text`` (strict parsing,
byte-stable writing), ``converter`` (the converter and its hooks), ``documents`` (worlds).
"""

from geotech.io.converter import DecisionData, converter, criterion_class, from_data, to_data
from geotech.io.documents import (
    SCHEMA_VERSION,
    dump_world,
    dumps_world,
    format_of,
    load_reform,
    load_world,
    loads_reform,
    loads_world,
    world_from_data,
    world_to_data,
)
from geotech.io.problems import MAX_DOCUMENT_DEPTH, MAX_INT_DIGITS, prefix
from geotech.io.text import FORMATS, Format, dumps_json, dumps_toml
from geotech.io.text import parse as parse_text

__all__ = [
    "FORMATS",
    "MAX_DOCUMENT_DEPTH",
    "MAX_INT_DIGITS",
    "SCHEMA_VERSION",
    "DecisionData",
    "Format",
    "converter",
    "criterion_class",
    "dump_world",
    "dumps_json",
    "dumps_toml",
    "dumps_world",
    "format_of",
    "from_data",
    "load_reform",
    "load_world",
    "loads_reform",
    "loads_world",
    "parse_text",
    "prefix",
    "to_data",
    "world_from_data",
    "world_to_data",
]
