#!/usr/bin/env python3
"""Loading the plugin: the styles are registered, and the ABI guard refuses a mismatched build.

Run with --plugin pointing to the directory that holds cryocycleplugin.so and the test-only
cryocycleplugin_wrong_version.so (built for a made-up LAMMPS version 20000101).
"""

import re
import subprocess

from harness import check, main

LIST = """
plugin load ${plugin}/cryocycleplugin.so
plugin list
"""

WRONG = """
plugin load ${plugin}/cryocycleplugin_wrong_version.so
plugin list
units metal
region box block 0 1 0 1 0 1
create_box 1 box
fix langevin all langevin 300 300 0.1 1
fix cycle all thermal/cycle langevin 300 80 2
"""


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def lammps_version(executable):
    """The version an lmp prints for -h ("4 Feb 2025"), and as the number 20250204."""
    help_text = subprocess.run([executable, "-h"], capture_output=True, text=True).stdout
    match = re.search(r"Massively Parallel Simulator - (\d+) ([A-Z][a-z]{2}) (\d{4})", help_text)
    check(match, f"{executable} -h does not name a LAMMPS version")
    day, month, year = match.groups()
    return f"{day} {month} {year}", int(year) * 10000 + (MONTHS.index(month) + 1) * 100 + int(day)


def registered(lmp):
    """`plugin list` shows every CryoCycle style."""
    output = lmp.run("list", LIST)
    for style in ("fix style plugin thermal/cycle", "fix style plugin thermal/scan",
                  "fix style plugin CRYOCYCLE/BOX_FLIPS", "compute style plugin strain/atom",
                  "compute style plugin sbzone/atom", "compute style plugin rejuvenation"):
        check(style in output, f"'{style}' is not listed")


def abi_mismatch(lmp):
    """A plugin built for another LAMMPS version prints one clear message and registers nothing."""
    output = lmp.run("wrong", WRONG, expect_error=r"Unrecognized fix style 'thermal/cycle'",
                     allow_plugin_failure=True)
    message = [line for line in output.splitlines() if "CryoCycle plugin not loaded" in line]
    check(len(message) == 1, f"expected one guard message, got {len(message)}")
    text, number = lammps_version(lmp.lmp)
    expected = f"compiled for LAMMPS version 1 Jan 2000 (20000101) but the host has {text} ({number})"
    check(expected in message[0], f"the guard message does not say '{expected}': {message[0]}")
    check("style plugin" not in output, "a style was registered anyway")


if __name__ == "__main__":
    main({"registered": registered, "abi_mismatch": abi_mismatch},
         {"registered": (1,), "abi_mismatch": (1, 2)})
