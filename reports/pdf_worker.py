"""Lay out PDF parts in a worker process: ``python -m reports.pdf_worker FILE``.

``FILE`` holds a pickled ``{"pages": [HTML, …], "tagged": options or None}``;
the laid-out parts (:class:`reports.pdf.LaidOutPart`, or
:class:`reports.tagjoin.TaggedPart` when tagged) are written, pickled, to
``FILE.out``.
Started by ``reports.pdf._Workers`` only.
"""

import pickle
import sys
from pathlib import Path


def main(source: str) -> None:
    import django

    django.setup()
    from reports.pdf import lay_out_part  # needs django.setup() first (worker process)

    job = pickle.loads(Path(source).read_bytes())  # noqa: S301 (our own file)
    parts = [lay_out_part(html, job["tagged"]) for html in job["pages"]]
    Path(f"{source}.out").write_bytes(pickle.dumps(parts))


if __name__ == "__main__":
    main(sys.argv[1])
