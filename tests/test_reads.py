"""The model's lists and dictionaries note every way a unit of pages can read them (see reads.py).

A read that notes nothing is a page that a warm build keeps while its data
changed, so every read-only method of ``list`` and ``dict`` must be one of
ours: Python's own would read the items in C, past the notes.
"""

from __future__ import annotations

import pytest

from panchina.reads import TrackedDict, TrackedList, recording

# Methods that change a list or dictionary (the model is never changed while pages are planned) or
# that read no item.
NOT_READS = {"__init__", "__new__", "__getattribute__", "__sizeof__", "__class_getitem__", "__hash__",
             "__setitem__", "__delitem__", "__iadd__", "__imul__", "__ior__", "append", "extend", "insert",
             "remove", "clear", "sort", "reverse", "update", "fromkeys"}


@pytest.mark.parametrize("tracked, base", [(TrackedList, list), (TrackedDict, dict)], ids=["list", "dict"])
def test_every_read_only_method_is_overridden(tracked, base):
    missing = sorted(name for name in vars(base) if callable(getattr(base, name)) and name not in NOT_READS
                     and name not in vars(tracked))
    if base is list:  # list.pop changes the list; a dict's pop is overridden all the same
        missing = [name for name in missing if name != "pop"]
    else:  # dictionaries cannot be ordered: < and the like raise before reading anything
        missing = [name for name in missing if name not in ("__lt__", "__le__", "__gt__", "__ge__")]
    assert missing == []


def test_each_way_to_read_a_list_is_noted():
    tracked = TrackedList([1, 2, 3], "all")
    reads = {"iterate": lambda: list(tracked), "plain + tracked": lambda: [0] + tracked,
             "tracked + plain": lambda: tracked + [0], "compare": lambda: tracked < [9], "len": lambda: len(tracked),
             "item": lambda: tracked[1], "slice": lambda: tracked[:2], "in": lambda: 2 in tracked,
             "truth": lambda: bool(tracked), "reversed": lambda: list(reversed(tracked))}
    for name, read in reads.items():
        with recording() as noted:
            read()
        assert noted, f"{name} read the list without a note"


def test_each_way_to_read_a_dict_is_noted():
    sagas = TrackedDict("sagas")
    dict.__setitem__(sagas, ("A", "B"), 1)
    reads = {"get": lambda: sagas.get(("A", "B")), "[]": lambda: sagas[("A", "B")],
             "setdefault": lambda: sagas.setdefault(("A", "B"), 2), "items": lambda: list(sagas.items()),
             "in": lambda: ("A", "B") in sagas, "merge": lambda: {} | sagas, "len": lambda: len(sagas)}
    for name, read in reads.items():
        with recording() as noted:
            read()
        assert noted, f"{name} read the sagas without a note"
