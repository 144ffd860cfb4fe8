"""Lay out PDF parts in a worker process: ``python -m reports.pdf_worker FILE``.

``FILE`` holds a pickled job, one of:

- ``{"pages": [HTML, …], "tagged": options or None}``: the laid-out parts
  (:class:`reports.pdf.LaidOutPart`, or :class:`reports.tagjoin.TaggedPart`
  when tagged) are written, pickled, to ``FILE.out`` (untagged books);
- ``{"parts": [(key, HTML), …], "tagged": options, "claims": folder}``: the
  parts of a tagged book missing from the part cache (:mod:`reports.partcache`),
  shared by every process of the render: a part is taken by creating its
  claim file (first come, first served, so a process that finishes early
  takes the next one), laid out, kept under its key and let go before the
  next, so the process never holds more than one part's layout.

Started by ``reports.pdf`` only.
"""

import pickle
import sys
from pathlib import Path


def main(source: str) -> None:
    import django

    django.setup()
    from reports.pdf import lay_out_claimed, lay_out_part  # after django.setup()

    job = pickle.loads(Path(source).read_bytes())  # noqa: S301 (our own file)
    if "parts" in job:
        lay_out_claimed(job["parts"], job["tagged"], Path(job["claims"]))
        return
    parts = [lay_out_part(html, job["tagged"]) for html in job["pages"]]
    Path(f"{source}.out").write_bytes(pickle.dumps(parts))


if __name__ == "__main__":
    main(sys.argv[1])
