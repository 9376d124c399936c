"""How long loading one language's translations takes, and what it adds to the start.

    .venv/bin/python benchmarks/bench_i18n.py [--before TREE] [--language de] [--repeat 30]

Each tree (this checkout, and with ``--before`` another checkout such as the commit before the
compiled catalogues, whose i18n parsed the .po files itself) is timed in a fresh interpreter with
that tree first on the path, so both pay the same imports. Printed per tree:

    import      ``import lehrer_licenses.i18n``
    first load  the first ``translator(language)``: what the start of the app or CLI pays
    load        median of ``--repeat`` loads after clearing the cache
    parse only  this checkout: reading the .mo with GNUTranslations, without the check of the
                .po file times a checkout makes (what an installed wheel or the bundle pays)

and for this checkout the time to compile the language (once, after a .po changed). Nothing is
asserted; compare figures from the same machine and run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import io, json, sys, time
language, repeat = sys.argv[1], int(sys.argv[2])
started = time.perf_counter()
from lehrer_licenses import i18n
imported = time.perf_counter()
i18n.translator(language).gettext("Base licence (one-time)")
first = time.perf_counter()
loads = []
for _ in range(repeat):
    i18n.translator.cache_clear()
    begin = time.perf_counter()
    i18n.translator(language)
    loads.append(time.perf_counter() - begin)
result = {"import": imported - started, "first": first - imported, "loads": loads}
if hasattr(i18n, "catalogue_resource"):
    import gettext
    parses = []
    for _ in range(repeat):
        begin = time.perf_counter()
        gettext.GNUTranslations(io.BytesIO(i18n.catalogue_resource(language).read_bytes()))
        parses.append(time.perf_counter() - begin)
    result["parse"] = parses
    from lehrer_licenses import i18n_compile
    from lehrer_licenses.paths import locale_dir, translations_dir
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as folder:
        begin = time.perf_counter()
        i18n_compile.compile_language(translations_dir(), Path(folder), language)
        result["compile"] = time.perf_counter() - begin
print(json.dumps(result))
"""


def measure(tree: Path, language: str, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, language, str(repeat)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def report(name: str, result: dict) -> None:
    print(f"{name}")
    print(f"  import      {ms(result['import'])}")
    print(f"  first load  {ms(result['first'])}")
    print(f"  load        {ms(statistics.median(result['loads']))}  (median)")
    if "parse" in result:
        print(f"  parse only  {ms(statistics.median(result['parse']))}  (median)")
        print(f"  compile     {ms(result['compile'])}  (once after a .po changed)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--language", default="de")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    measure(ROOT, args.language, 1)  # compiles a stale catalogue, so the timing below does not
    trees = [("before: " + str(args.before), args.before)] if args.before else []
    for name, tree in [*trees, ("after: " + str(ROOT), ROOT)]:
        report(name, measure(tree.resolve(), args.language, args.repeat))


if __name__ == "__main__":
    main()
