"""A bounded load test on localhost: every company of the campaign uploads 20 times at once (accepted files and
files with an error, alternately) to ``effectifs serve`` running in its own process, as on a server (uvicorn;
one worker process, the default, or ``--processus 2``). No submission is lost or recorded twice, each company's
submission is the last file it sent, and every request is answered. How fast is measured, not asserted:
``python benchmarks/bench_web.py`` runs :func:`run_load` against another revision in the same run (README)."""

from __future__ import annotations

import hashlib
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from pipeline.demo import sample_figures
from pipeline.store import history
from tests.web_site import csrf, free_port, make_site

UPLOADS = 20
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
VARIANTS = 4   # distinct accepted files per company; every fifth upload has an error


def _serve(site, workers: int) -> tuple[subprocess.Popen, str]:
    """``effectifs serve`` on a free port of localhost, in its own process, once it answers."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--racine", str(site.root), "serve",
                               "-c", site.campaign.identifiant, "--port", str(port), "--processus", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/style.css", timeout=5).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"serve did not start: {server.communicate()[1].decode(errors='replace')[-2000:]}")
        time.sleep(0.1)


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants (Linux's /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = " ".join(p.read_text() for p in Path(f"/proc/{pid}/task").glob("*/children")).split()
    except OSError:
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime, stime, cutime, cstime
    return own + sum(_tree_cpu(int(c)) for c in children)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()  # uvicorn stops its workers and exits
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _files(site, company: str, folder: Path) -> list[bytes]:
    figures = sample_figures(site.campaign)[company]
    big = max((k for k in figures if k != "TOTAL"), key=figures.get)
    small = next(k for k in figures if k not in ("TOTAL", big))
    out = []
    for i in range(VARIANTS):
        (folder / str(i)).mkdir(parents=True, exist_ok=True)
        values = {**figures, big: figures[big] - i, small: figures[small] + i}
        out.append(site.good(company, folder / str(i), values).read_bytes())
    (folder / "ko").mkdir(exist_ok=True)
    out.append(site.with_error(company, folder / "ko").read_bytes())
    return out


def run_load(root: Path, workers: int = 1) -> dict:
    site = make_site(root / "projet")
    companies = sorted(site.links)
    files = {c: _files(site, c, root / "fichiers" / c) for c in companies}
    server, url = _serve(site, workers)
    times: list[float] = []
    sent_last: dict[str, int] = {}
    problems: list[str] = []

    def company_uploads(company: str) -> None:
        # A new connection per request, as the reverse proxy of the README opens one per request to the server
        # (nginx without upstream keep-alive): each can go to whichever of the server's processes is free.
        with httpx.Client(base_url=url, timeout=60, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            token = site.links[company]
            token_page = client.get(f"/societe/{token}")
            for n in range(UPLOADS):
                k = VARIANTS if n % 5 == 4 else n % VARIANTS
                start = time.perf_counter()
                r = client.post(f"/societe/{token}/depot", data={"csrf": csrf(token_page.text)},
                                files={"fichier": (f"{company}.xlsx", files[company][k])})
                times.append(time.perf_counter() - start)
                if r.status_code != (422 if k == VARIANTS else 200):
                    problems.append(f"{company} #{n}: {r.status_code}")
                if k != VARIANTS:
                    sent_last[company] = k

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_cpu = _tree_cpu(server.pid)  # importing the library, building the site
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(len(companies)) as pool:
            list(pool.map(company_uploads, companies))
        elapsed = time.perf_counter() - started
    finally:
        _stop(server)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the server's processes, now ended and waited for
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime - started_cpu
    conn = history.connect(site.project.db)
    subs = history.submissions(conn, site.campaign.identifiant)
    latest = history.latest_accepted(conn, site.campaign.identifiant)
    conn.close()
    for c in companies:
        own = subs[subs["societe"] == c]
        if len(own) != VARIANTS or own["sha256"].duplicated().any():
            problems.append(f"{c}: {len(own)} submissions recorded, {VARIANTS} expected")
        want = hashlib.sha256(files[c][sent_last[c]]).hexdigest()
        if latest.set_index("societe").loc[c, "sha256"] != want:
            problems.append(f"{c}: the submission kept is not the last file sent")
    times.sort()
    return {"workers": workers, "requests": len(times), "companies": len(companies), "seconds": round(elapsed, 1),
            "server_cpu": round(cpu, 1), "median": round(statistics.median(times), 2),
            "p95": round(times[int(0.95 * (len(times) - 1))], 2), "max": round(times[-1], 2), "problems": problems}


def test_nine_companies_uploading_twenty_times_at_once(tmp_path):
    figures = run_load(tmp_path)
    assert figures["problems"] == []
    assert figures["requests"] == figures["companies"] * UPLOADS
    # the benchmark's table of these figures (benchmarks/bench_web.py runs this load), one row per version
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench_web import report
    finally:
        sys.path.remove(str(BENCHMARKS))
    table = report({("actuelle", 1): [figures], ("actuelle", 2): [figures, {**figures, "median": 9.5}]})
    per_upload = f"{1000 * figures['server_cpu'] / figures['requests']:.0f} ms"
    assert f"| actuelle | 1 | {per_upload} | {figures['median']:.2f} s |".replace(".", ",") in table, table
    assert f"| {figures['median']:.2f} à 9,50 s |".replace(".", ",") in table, table


def test_two_server_processes_serve_the_same_site(tmp_path):
    """``serve --processus 2``: each process builds the site from the environment; a page from one and an upload
    to either (a new connection each) make one submission."""
    site = make_site(tmp_path / "projet")
    company = min(site.links)
    data = _files(site, company, tmp_path / "fichiers")[0]
    server, url = _serve(site, 2)
    try:
        token = site.links[company]
        with httpx.Client(base_url=url, timeout=60, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            page = client.get(f"/societe/{token}")
            answers = [client.post(f"/societe/{token}/depot", data={"csrf": csrf(page.text)},
                                   files={"fichier": (f"{company}.xlsx", data)}).status_code for _ in range(4)]
    finally:
        _stop(server)
    assert answers == [200] * 4
    conn = history.connect(site.project.db)
    subs = history.submissions(conn, site.campaign.identifiant)
    conn.close()
    assert list(subs["societe"]) == [company]

