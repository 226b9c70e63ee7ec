#!/usr/bin/env python3
"""The documentation builds with Sphinx (Debian's python3-sphinx) without a warning, and a broken
reference fails the build (so a page cannot link to a page or label that does not exist)."""

import shutil
import subprocess

from harness import REPO, check, main

PYTHON = "/usr/bin/python3"


def sphinx(source, out):
    return subprocess.run([PYTHON, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", "html",
                           str(source), str(out)], capture_output=True, text=True)


def build(lmp):
    """doc/ builds with -W -n: no warning, every reference resolved; every page is in the HTML."""
    result = sphinx(REPO / "doc", lmp.workdir / "html")
    check(result.returncode == 0, f"sphinx-build failed:\n{result.stderr}")
    for page in sorted((REPO / "doc").glob("*.rst")):
        check((lmp.workdir / "html" / f"{page.stem}.html").exists(), f"{page.name} was not built")


def broken_reference_fails(lmp):
    """A reference to a page or label that does not exist fails the build, also a :doc: that
    looks like a LAMMPS manual page but is not one."""
    for broken in (":doc:`compute_nosuch`", ":ref:`no-such-label`", ":doc:`fix_nosuch <fix_nosuch>`"):
        copy = lmp.workdir / "doc"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(REPO / "doc", copy)
        with open(copy / "index.rst", "a") as index:
            index.write(f"\nSee {broken}.\n")
        result = sphinx(copy, lmp.workdir / "html_broken")
        check(result.returncode != 0, f"the build passed with the broken reference {broken}")
        check("WARNING" in result.stderr, f"no warning names the broken reference {broken}")


if __name__ == "__main__":
    main({"build": build, "broken_reference_fails": broken_reference_fails},
         {"build": (1,), "broken_reference_fails": (1,)})
