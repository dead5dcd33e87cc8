"""Runs a gunicorn.conf.py under CPython, the way Gunicorn loads it, and prints its data values.

Usage: python3 print_settings.py CONFIG ENVIRONMENT_JSON CPU_COUNT

The environment is replaced by ENVIRONMENT_JSON, cpu_count() returns CPU_COUNT, and any module that is
not installed is stubbed, so the file runs as it would on a server. Output: one JSON object mapping each
module-level name holding data (None, bool, int, float, str, list, tuple, dict, set) to a canonical repr
(sets sorted, so the order of a set does not depend on hashing).
"""
import contextlib
import importlib.abc
import importlib.machinery
import json
import multiprocessing
import os
import sys
import types
from unittest import mock


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return mock.MagicMock(name=f"{self.__name__}.{name}")


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def canon(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return repr(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canon(item) for item in value)) + "}" if value else "set()"
    if isinstance(value, list):
        return "[" + ", ".join(canon(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(canon(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{canon(k)}: {canon(v)}" for k, v in value.items()) + "}"
    raise TypeError("not data")


def is_data(value):
    try:
        canon(value)
        return True
    except TypeError:
        return False


def main():
    path, environment, cpus = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    os.environ.clear()
    os.environ.update(environment)
    multiprocessing.cpu_count = lambda: cpus
    os.cpu_count = lambda: cpus
    sys.meta_path.append(_StubFinder())
    with open(path, "rb") as source:
        code = compile(source.read(), path, "exec")
    names = {"__file__": path, "__name__": "__config__"}
    # A config's own print() must not end up in the results.
    with contextlib.redirect_stdout(sys.stderr):
        exec(code, names)
    print(json.dumps({name: canon(value) for name, value in names.items() if not name.startswith("__") and is_data(value)}))


main()
