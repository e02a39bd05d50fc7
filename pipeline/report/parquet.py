"""findings.parquet from findings.jsonl, in a process of its own.

`python -m pipeline.report.parquet FINDINGS.jsonl FINDINGS.parquet`. Large runs convert
their JSONL file this way, so that pyarrow (and its memory) never enters the run's process:
the run's memory stays what it is for small batches.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.errors import OutputError


def jsonl_to_parquet(jsonl: Path, parquet: Path) -> Path:
    """Convert findings.jsonl to findings.parquet in a child process; an OSError naming the
    file and the child's reason when it fails."""
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline.report.parquet", str(jsonl), str(parquet)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise OSError(f"{parquet.name}: {last}")
    return parquet


def _convert(jsonl: Path, parquet: Path) -> None:
    import json

    from pipeline.models import Finding
    from pipeline.report.files import write_parquet

    def findings():
        with jsonl.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield Finding(**json.loads(line))

    write_parquet(findings(), parquet)


if __name__ == "__main__":
    try:
        _convert(Path(sys.argv[1]), Path(sys.argv[2]))
    except OutputError as error:  # one line, the system's reason, for the parent's message
        cause = error.__cause__
        print(cause.strerror if isinstance(cause, OSError) else error, file=sys.stderr)
        sys.exit(2)
