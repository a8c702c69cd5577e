"""Benchmark: the briefing pack for a quarter at the demo's size, built by a running server.

    .venv/bin/python bench/bench_pack.py [--db bench/out/pack-demo.sqlite3] [--period 2025-Q1]

The real app serves on 127.0.0.1 in a thread, its chart renderer started (as `tthc run` has
it after the first image). Each run downloads /xuat/bao-cao.zip over HTTP: the new pack (pptx,
pdf, xlsx, the letter, the report in words and Biểu 06, the assessment slides first). The
baseline, in the same run and the same process: the pack as it was built before issue 15 —
kaleido's sync server (with MathJax from a CDN, which stalls 5 s every few images without the
internet), one image after the other, then pptx, Chromium's PDF, xlsx and the letter one after
the other. The first download draws every chart; a later one of the same
figures takes them from the app's cache. Target: at least 3× faster than the baseline, ≤ 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = 5


def old_pdf(content) -> bytes:
    """The PDF as it was printed before: a Chromium started for it."""
    import shutil
    import subprocess

    from dashboard.exports import pack

    with tempfile.TemporaryDirectory(prefix="tthc-pdf-") as tmp:
        page, pdf = Path(tmp) / "bao-cao.html", Path(tmp) / "bao-cao.pdf"
        page.write_text(pack.to_html(content), encoding="utf-8")
        subprocess.run(
            [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox",
             "--disable-gpu", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return pdf.read_bytes()


def baseline(q, out: Path) -> float:
    """Today's pack before issue 15, step by step (kept here to measure against)."""
    import kaleido

    from dashboard.exports import letter, pack
    from dashboard.exports.tables import to_xlsx

    started = time.perf_counter()
    f = pack.collect(q)
    images = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kaleido.start_sync_server(silence_warnings=True)
        for _title, fig in f.figures:
            images.append(fig.to_image(format="png", width=1920, height=1080))
    content = replace(
        f.content,
        charts=list(zip([t for t, _ in f.figures], images, strict=True)),
        assessment=[],
    )
    (out / "a.pptx").write_bytes(pack.to_pptx(content))
    (out / "a.pdf").write_bytes(old_pdf(content))
    (out / "a.xlsx").write_bytes(to_xlsx(content.tables))
    label = f.content.subtitle.split(" · ")[0]
    (out / "a.docx").write_bytes(
        letter.build(content.below, content.era, label, dt.date.today(), dt.date.today())
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench/out/pack-demo.sqlite3")
    parser.add_argument("--period", default="2025-Q1")
    args = parser.parse_args()

    import plotly.graph_objects as go
    from werkzeug.serving import make_server

    from dashboard.domain.query import ViewQuery
    from dashboard.exports import charts
    from dashboard.services import entries
    from dashboard.settings import Settings
    from dashboard.web.app import create_app
    from data_access.bootstrap import prepare_database

    db = Path(args.db)
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        prepare_database(f"sqlite:///{db}", demo_on_empty=True).dispose()
    instance = Path(tempfile.mkdtemp(prefix="tthc-bench-pack-"))
    app = create_app(
        Settings(database_url=f"sqlite:///{db}", instance_dir=instance, demo_on_empty=False)
    )
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/xuat/bao-cao.zip?ky={args.period}"
    charts.render(go.Figure(), "png")  # the renderer started, as on a server in use

    new: list[float] = []
    for i in range(RUNS):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as res:
            data = res.read()
        new.append(time.perf_counter() - started)
        if i == 0:
            path = instance / "pack.zip"
            path.write_bytes(data)
            names = zipfile.ZipFile(path).namelist()
            print(f"new pack: {len(data) / 1e6:.1f} MB, {len(names)} files: {', '.join(names)}")
    old: list[float] = []
    with app.server.app_context():
        q = entries.resolved(ViewQuery(period=args.period))
        for _ in range(RUNS):
            out = Path(tempfile.mkdtemp(prefix="tthc-bench-old-"))
            old.append(baseline(q, out))
    server.shutdown()

    def line(name: str, xs: list[float]) -> str:
        return (
            f"{name:<34} median {statistics.median(xs):5.2f} s  min {min(xs):5.2f}  "
            f"max {max(xs):5.2f}  ({', '.join(f'{x:.2f}' for x in xs)})"
        )

    print(f"\nThe briefing pack for {args.period}, {RUNS} runs each ({db})")
    print(line("baseline (before issue 15)", old))
    print(line("new, over HTTP from the server", new))
    print(
        f"new, first build (every chart drawn): {new[0]:.2f} s; again (charts from the cache): "
        f"median {statistics.median(new[1:]):.2f} s"
    )
    base = statistics.median(old)
    print(
        f"speed-up against the baseline's median: first build {base / new[0]:.1f}×, again "
        f"{base / statistics.median(new[1:]):.1f}×"
    )


if __name__ == "__main__":
    main()
