#!/usr/bin/env python3
"""Two host LAMMPS versions: a plugin built for one refuses to load into the other, naming both
versions, and compute strain/atom gives the same per-atom values on both hosts.

The second host comes from the environment (unittest/CMakeLists.txt sets it from
CRYOCYCLE_OTHER_LMP and CRYOCYCLE_OTHER_PLUGIN; `tools/run-tests.sh --host 4Jul2026` passes the
default 4Feb2025 host): CRYOCYCLE_OTHER_LMP is its lmp, CRYOCYCLE_OTHER_PLUGIN the plugin built
against it. Without them the cases are skipped (exit code 77) with a message saying so.
"""

import argparse
import os
import sys

from harness import Lammps, check, lammps_version, main, read_dump
from inputs import GLASS_CUZR, WRONG_VERSION

SKIP = 77    # CTest's SKIP_RETURN_CODE for these cases


def other_host(lmp):
    """A Lammps for the second host, sharing this case's data and rank count."""
    other_lmp = os.environ.get("CRYOCYCLE_OTHER_LMP")
    other_plugin = os.environ.get("CRYOCYCLE_OTHER_PLUGIN")
    if not other_lmp or not other_plugin:
        print("SKIPPED: no second host LAMMPS (set CRYOCYCLE_OTHER_LMP and CRYOCYCLE_OTHER_PLUGIN, "
              "or run tools/run-tests.sh --host 4Jul2026)")
        sys.exit(SKIP)
    for path in (other_lmp, other_plugin):
        check(os.path.exists(path), f"second host file {path} does not exist")
    return Lammps(argparse.Namespace(lmp=other_lmp, plugin=other_plugin, np=lmp.np,
                                     workdir=lmp.workdir / "other", data=lmp.data))


def abi_other_version(lmp):
    """The plugin built for this host, loaded into the other host's lmp, and the other host's
    plugin loaded into this lmp: each file opens (no "undefined symbol": the plugin uses no LAMMPS
    C++ symbol that only one of the versions has), and its guard prints one message naming the
    version it was built for and the version of the host (both as `lmp -h` prints them),
    registers no style, and the input then fails at the first CryoCycle style. Each plugin in its own host loads and says which LAMMPS it
    was built for."""
    other = other_host(lmp)
    mine, theirs = lammps_version(lmp.lmp), lammps_version(other.lmp)
    check(mine[1] != theirs[1], f"both hosts are LAMMPS {mine[0]}: not a test")
    for host, plugin, built_for, host_version in ((other, lmp.plugin, mine, theirs),
                                                  (lmp, other.plugin, theirs, mine)):
        output = host.run("mismatch", WRONG_VERSION.replace("${plugin}/cryocycleplugin_wrong_version.so", plugin),
                          expect_error=r"Unrecognized fix style 'thermal/cycle'",
                          allow_plugin_failure=True)
        check("undefined symbol" not in output, f"{plugin} did not open in LAMMPS {host_version[0]}:\n{output}")
        message = [line for line in output.splitlines() if "CryoCycle plugin not loaded" in line]
        check(len(message) == 1, f"expected one refusal message, got {len(message)}:\n{output}")
        expected = (f"compiled for LAMMPS version {built_for[0]} ({built_for[1]}) "
                    f"but the host has {host_version[0]} ({host_version[1]})")
        check(expected in message[0], f"the refusal does not say '{expected}': {message[0]}")
        check("style plugin" not in output, "a style was registered anyway")
    for host, (text, number) in ((lmp, mine), (other, theirs)):
        output = host.run("match", f"plugin load {host.plugin}\nplugin list\n")
        check(f"CryoCycle plugin built for LAMMPS {text} ({number})" in output,
              f"no load message naming LAMMPS {text}:\n{output}")
        check("fix style plugin thermal/cycle" in output, "thermal/cycle not registered")


# The fixture glass, displaced at random and sheared (deterministic for a given seed, on any
# number of ranks), with both neighbour conventions and the full tensor output.
SAME_INPUT = GLASS_CUZR + """
compute ref all strain/atom 3.5 tensor F
compute cur all strain/atom 3.5 neighbors current d2min rms tensor E
compute aff all strain/atom 3.5 affine reference
run 0
displace_atoms all random 0.3 0.3 0.3 8675309 units box
change_box all triclinic
change_box all x scale 1.02 xy delta 1.5 yz delta -0.8 remap units box
dump d all custom 1 hosts.dump id x y z c_ref[*] c_cur[*] c_aff[*]
dump_modify d format float %.17g sort id
run 0
"""


def strain_atom_same_on_both_hosts(lmp):
    """The same input on both hosts: identical positions, and per-atom values of compute
    strain/atom (neighbors reference with F, neighbors current with E and rms D2min, affine
    reference) equal to 1e-12, relative to the value or absolute below 1."""
    other = other_host(lmp)
    rows = {}
    for name, host in (("mine", lmp), ("other", other)):
        host.run("hosts", SAME_INPUT)
        _, rows[name] = read_dump(host.path("hosts.dump"))
    mine, theirs = rows["mine"], rows["other"]
    check(len(mine) == 864 and mine.keys() == theirs.keys(), "the hosts dumped different atoms")
    check(sum(1 for v in mine.values() if v[3] > 0.02) > 800, "atoms not strained: not a test")
    worst = 0.0
    for atom, values in mine.items():
        check(values[0:3] == theirs[atom][0:3], f"atom {atom}: the hosts moved it differently "
              f"({values[0:3]} vs {theirs[atom][0:3]}): the input is not the same")
        for k, (a, b) in enumerate(zip(values[3:], theirs[atom][3:])):
            difference = abs(a - b) / max(1.0, abs(b))
            check(difference <= 1e-12, f"atom {atom} column {k + 1}: {a!r} vs {b!r}")
            worst = max(worst, difference)
    print(f"largest difference between the hosts: {worst:.3g}")


if __name__ == "__main__":
    main({"abi_other_version": abi_other_version,
          "strain_atom_same_on_both_hosts": strain_atom_same_on_both_hosts},
         {"abi_other_version": (1, 2)})
