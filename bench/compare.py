"""The throughput of the key pages served by two versions of the code side by side.

    export DATABASE_URL=postgres://postgres@/%2Fwork%2Fmain%2F.local%2Fpostgres/casework_bench
    .venv/bin/python bench/compare.py c6d5f17 --only "caseload list"

This is the comparison to trust on a shared machine, where a page's throughput drifts by 15% or
more within minutes (bench/pages.py's absolute figures drift with it):

- BASE (a commit) is checked out in a temporary git worktree and served beside this checkout:
  two gunicorns with the production settings over the same database (bench.server.serve), both
  in this checkout's environment (.venv), each with its own cache database in one Redis. So
  BASE must run on this database's schema (migrated by this checkout) and with these locked
  dependencies, and have bench/settings.py;
- per page (as bench/pages.py chooses them, with the same users; the trivial page first, a
  control whose ratio stays near 1 unless the change touched every page), throughput runs of
  --seconds at --concurrent clients alternate between the two, --runs pairs, the first of a
  pair alternating;
- printed per page: each side's median throughput and the median of the pairs' ratios with
  their range. The two runs of a pair share the machine's state, so their ratio is steady where
  the absolute figures are not.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import log_in_everyone, prepare, shared_arguments, throughput  # noqa: E402
from bench.server import redis_server, serve, wait_for_the_next_code  # noqa: E402


@contextlib.contextmanager
def worktree(commit: str, path: Path) -> Iterator[Path]:
    """The code of `commit` checked out at `path` (a detached git worktree), removed afterwards."""
    # Prune first: the worktree of a run that was killed is registered still, its folder gone.
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(path), commit], cwd=ROOT, check=True
    )
    try:
        yield path
    finally:
        # Not checked: a failure here must not hide the benchmark's own; prune tidies up later.
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the commit to compare this checkout with")
    shared_arguments(parser, seconds=5)
    parser.add_argument("--runs", type=int, default=6, help="pairs of runs per page")
    args = parser.parse_args()

    workload = prepare(args)
    pages = workload.pages
    print(
        f"{args.base} (A) against this checkout (B): {args.runs} pairs of {args.seconds:.0f} s "
        f"runs per page at {args.concurrent} concurrent clients",
        flush=True,
    )
    with (
        tempfile.TemporaryDirectory() as folder,
        worktree(args.base, Path(folder) / "base") as base_root,
        redis_server(Path(folder)) as redis,
        serve(args.database_url, root=base_root, CACHE_URL=redis.url(1)) as a,
        serve(args.database_url, CACHE_URL=redis.url(2)) as b,
    ):
        sessions = {a: log_in_everyone(a, workload, args.concurrent)}
        wait_for_the_next_code()  # the same users log in to the second server
        sessions[b] = log_in_everyone(b, workload, args.concurrent)
        # Rounds over the pages, as bench/pages.py: each page's pairs spread over the run, and
        # no session idles long enough to expire (SESSION_IDLE_MINUTES).
        rps: dict[str, dict[str, list[float]]] = {page.label: {a: [], b: []} for page in pages}
        for server in (a, b):  # warm-up: the workers' caches, connections and templates
            for page in pages:
                throughput(sessions[server][page.role], server + page.url, 2)
        for number in range(args.runs):
            for page in pages:
                for server in (a, b) if number % 2 == 0 else (b, a):
                    rps[page.label][server].append(
                        throughput(sessions[server][page.role], server + page.url, args.seconds)
                    )
        width = max(len(page.label) for page in pages)
        print(f"{'page':{width}}  {'A rps':>7}  {'B rps':>7}  B/A (range)")
        for page in pages:
            before, after = rps[page.label][a], rps[page.label][b]
            ratios = [new / old for old, new in zip(before, after, strict=True)]
            print(
                f"{page.label:{width}}  {statistics.median(before):7.1f}  "
                f"{statistics.median(after):7.1f}  {statistics.median(ratios):.3f} "
                f"({min(ratios):.2f} to {max(ratios):.2f})"
            )


if __name__ == "__main__":
    main()
