#!/usr/bin/env python3
"""Loading the plugin: the styles are registered, and the ABI guard refuses a mismatched build.

Run with --plugin pointing to the directory that holds cryocycleplugin.so and the test-only
cryocycleplugin_wrong_version.so (built for a made-up LAMMPS version 20000101).
"""

from harness import check, lammps_version, main
from inputs import WRONG_VERSION

LIST = """
plugin load ${plugin}/cryocycleplugin.so
plugin list
"""

def registered(lmp):
    """`plugin list` shows every CryoCycle style."""
    output = lmp.run("list", LIST)
    for style in ("fix style plugin thermal/cycle", "fix style plugin thermal/scan",
                  "fix style plugin CRYOCYCLE/BOX_FLIPS", "compute style plugin strain/atom",
                  "compute style plugin sbzone/atom", "compute style plugin rejuvenation"):
        check(style in output, f"'{style}' is not listed")


def abi_mismatch(lmp):
    """A plugin built for another LAMMPS version prints one clear message and registers nothing."""
    output = lmp.run("wrong", WRONG_VERSION, expect_error=r"Unrecognized fix style 'thermal/cycle'",
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
