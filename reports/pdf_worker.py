"""Lay out PDF parts in a worker process: ``python -m reports.pdf_worker FILE``.

``FILE`` holds a pickled job, one of:

- ``{"pages": [HTML, …], "tagged": options or None}``: the laid-out parts
  (:class:`reports.pdf.LaidOutPart`, or :class:`reports.tagjoin.TaggedPart`
  when tagged) are written, pickled, to ``FILE.out`` (untagged books);
- ``{"parts": [(key, HTML), …], "tagged": options, "claims": folder,
  "documents": folder}``: the parts of a tagged book missing from the part
  cache (:mod:`reports.partcache`, under ``documents``), shared by every
  process of the render: a part is taken by creating its claim file (first
  come, first served, so a process that finishes early takes the next one),
  laid out, kept under its key and let go before the next, so the process
  never holds more than one part's layout.

``python -m reports.pdf_worker --serve SECONDS``: a warm helper
(``reports.pdf._Helper``) that takes tagged-book jobs one after another:
the path of a job file on each line of its standard input, answered by
``done`` or ``failed`` on its standard output once the job is over. It ends
when its input closes (the render's process ended) or after ``SECONDS``
without a job. Kept warm, the helper lays out the two or three parts a small
change leaves missing beside the render's process, without paying again for
starting Python, Django and WeasyPrint (about 1.5 s of CPU, more than the
parts themselves, issue 19).

Started by ``reports.pdf`` only.
"""

import gc
import os
import pickle
import select
import sys
from pathlib import Path


def _run(source: str) -> None:
    from django.conf import settings

    from reports.pdf import lay_out_claimed, lay_out_part  # after django.setup()

    job = pickle.loads(Path(source).read_bytes())  # noqa: S301 (our own file)
    if "parts" in job:
        if job.get("documents"):
            # the render's part cache, whatever this process was started with
            settings.PHAEN_DOCUMENT_DIR = Path(job["documents"])
        lay_out_claimed(job["parts"], job["tagged"], Path(job["claims"]))
        return
    parts = [lay_out_part(html, job["tagged"]) for html in job["pages"]]
    Path(f"{source}.out").write_bytes(pickle.dumps(parts))


def serve(idle_seconds: float) -> None:
    """Take jobs from standard input until it closes or stays idle."""
    import logging

    # the answers own standard output; anything printed goes to stderr
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    while True:
        ready, _, _ = select.select([sys.stdin], [], [], idle_seconds)
        if not ready:
            return
        line = sys.stdin.readline()
        if not line:
            return
        try:
            _run(line.strip())
        except Exception:
            logging.getLogger(__name__).exception("PDF helper job failed")
            answers.write("failed\n")
        else:
            answers.write("done\n")
        gc.collect()  # the job's layouts, before waiting idle


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "--serve":
        serve(float(argv[1]))
    else:
        _run(argv[0])


if __name__ == "__main__":
    main(sys.argv[1:])
