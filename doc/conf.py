# Sphinx configuration of the CryoCycle documentation (Debian's python3-sphinx).
# Build: /usr/bin/python3 -m sphinx -W -n --keep-going -b html doc build/doc-html
# (the test command does this: warnings, including broken references, fail the build).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

project = "CryoCycle"
author = "CryoCycle developers"
extensions = ["sphinx.ext.mathjax", "lammps_refs"]
root_doc = "index"
exclude_patterns = ["README.md", "_build", "img/in.*"]
html_theme = "alabaster"
html_static_path = []
# the style pages are written for the LAMMPS manual: links to its pages go to docs.lammps.org
lammps_manual = "https://docs.lammps.org/"
