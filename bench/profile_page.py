"""Where one staff page spends its time: a cProfile of the request, its queries, and their plans.

    .venv/bin/python bench/profile_page.py "worker list" --explain 2

The page names are bench/run.py's. Prints the functions with the most cumulative time (the
project's own and Django's), every query with its duration (the slowest first), and, with
--explain, the plan of the slowest ones (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
PostgreSQL).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.run import client_for, find_targets, pages, production_like, request


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a page name from bench/run.py, e.g. 'worker list'")
    parser.add_argument("--top", type=int, default=30, help="functions to list")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="plans of N queries")
    parser.add_argument("--sql-chars", type=int, default=400)
    args = parser.parse_args()
    production_like()
    chosen = [page for page in pages(find_targets()) if page.name == args.page]
    if not chosen:
        sys.exit(
            f"No page named {args.page!r}: " + ", ".join(p.name for p in pages(find_targets()))
        )
    page = chosen[0]
    if page.url is None:
        sys.exit(f"{page.name}: its URL does not resolve in this checkout.")
    client = client_for(page.role, page.user)
    for _ in range(3):
        request(client, page)
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        profiler.enable()
        response = request(client, page)
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000
    print(f"{page.name}: {page.url} {page.params} -> {len(response.content):,} bytes")
    print(f"{elapsed:.1f} ms under the profiler, {len(captured.captured_queries)} queries\n")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"queries: {total:.1f} ms in all")
    for query in queries:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][: args.sql_chars]}")
    for query in queries[: args.explain]:
        print(f"\n--- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
        print(explain(query["sql"]))


if __name__ == "__main__":
    main()
