"""Summarise a pip-audit JSON report; exit 1 when any installed package has a known
vulnerability (or pip-audit failed without a report).

python3 .ci/audit_summary.py REPORT.json PIP_AUDIT_EXIT_STATUS
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(report_path: str, status: str) -> int:
    path = Path(report_path)
    if not path.exists():
        print(f"pip-audit: no report (exit {status})", file=sys.stderr)
        return 1
    dependencies = json.loads(path.read_text())["dependencies"]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dep in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep['version']} is vulnerable: {ids}", file=sys.stderr)
    print(
        f"pip-audit: {audited} packages audited, {len(vulnerable)} with known vulnerabilities, "
        f"{len(skipped)} not audited (the advisory service had no answer for them)"
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
