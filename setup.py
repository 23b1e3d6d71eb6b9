"""Build hook: a wheel carries the repository's top-level ``cypher/`` folder as ``app/cypher/``.

Everything else is configured in pyproject.toml. ``cypher/`` stays at the top of the
repository (DESIGN.md, section 1); ``app/store/queries.py`` reads ``app/cypher/`` when it is
installed and the repository's ``cypher/`` otherwise (editable installs, a source checkout).
MANIFEST.in puts ``cypher/`` into source distributions, so a wheel built from one has it too.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCypher(build_py):
    """``build_py`` that also copies ``cypher/**/*.cypher`` to ``app/cypher/`` in the build."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads cypher/ where it is
            return
        statements = sorted(Path("cypher").rglob("*.cypher"))
        if not statements:
            raise FileNotFoundError("no cypher/**/*.cypher next to setup.py: nothing to package")
        for source in statements:
            target = Path(self.build_lib, "app", source)
            self.mkpath(str(target.parent))
            self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildPyWithCypher})
