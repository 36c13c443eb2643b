"""Ship the templates, static files and demo seeds inside the package.

They live at the top of the repository (next to the code that uses them, by feature name),
so a wheel would leave them out; this copies them into `league/` in the built package.
`league.web.templating.shipped_dir` finds them there, or at the top of a source checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_DIRS = ("templates", "static", "seeds")


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        for name in SHIPPED_DIRS:
            target = Path(self.build_lib) / "league" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(__file__).parent / name, target)


setup(cmdclass={"build_py": BuildWithShippedFiles})
