#!/usr/bin/env python3
"""`cmake --install` into a temporary prefix gives a cluster module: the quick-start example runs
from the installed tree with the plugin found through LAMMPS_PLUGIN_PATH alone, as the installed
module file sets it (read by environment-modules' own modulecmd).

CRYOCYCLE_BUILD_DIR (set by unittest/CMakeLists.txt) is the build tree to install; CRYOCYCLE_DOCS=0
if it was configured without the manual.
"""

import os
import shutil
import subprocess

from harness import check, main, read_table

MODULE_INIT = "/usr/share/modules/init/bash"    # Debian's environment-modules
# The quick-start input with small knobs: 500 atoms, short melt and quench, 2 short cycles.
KNOBS = ["-var", "cells", "5", "-var", "melt_steps", "200", "-var", "quench_rate", "2000",
         "-var", "cycles", "2", "-var", "rate", "500", "-var", "hold", "0.5"]


def install(prefix):
    shutil.rmtree(prefix, ignore_errors=True)
    result = subprocess.run(["cmake", "--install", os.environ["CRYOCYCLE_BUILD_DIR"], "--prefix", str(prefix)],
                            capture_output=True, text=True)
    check(result.returncode == 0, f"cmake --install failed:\n{result.stdout}\n{result.stderr}")


def module_environment(prefix):
    """LAMMPS_PLUGIN_PATH and CRYOCYCLE_ROOT after `module load cryocycle` from the installed
    module directory, in a shell that had neither."""
    check(os.path.exists(MODULE_INIT), f"{MODULE_INIT} missing: install Debian's environment-modules")
    script = (f"source {MODULE_INIT} && module use {prefix}/share/modulefiles && module load cryocycle"
              " && echo \"LAMMPS_PLUGIN_PATH=$LAMMPS_PLUGIN_PATH\" && echo \"CRYOCYCLE_ROOT=$CRYOCYCLE_ROOT\"")
    env = {k: v for k, v in os.environ.items() if k not in ("LAMMPS_PLUGIN_PATH", "CRYOCYCLE_ROOT")}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    check(result.returncode == 0, f"module load cryocycle failed:\n{result.stderr}")
    values = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return values


def run_example(lmp, directory, plugin_path, np):
    """lmp on the installed in.quickstart, in its installed directory; only LAMMPS_PLUGIN_PATH
    (if given) tells it where the plugin is."""
    env = {k: v for k, v in os.environ.items() if k != "LAMMPS_PLUGIN_PATH"}
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMP_NUM_THREADS="1")
    if plugin_path:
        env["LAMMPS_PLUGIN_PATH"] = plugin_path
    command = (["mpirun", "-np", str(np), "--oversubscribe"] if np > 1 else []) + \
        [lmp.lmp, "-nocite", "-in", "in.quickstart"] + KNOBS
    result = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=900)
    return result.returncode, result.stdout + result.stderr


def installed_example(lmp):
    """The install holds the plugin, one file, in lib/cryocycle, the potentials with their checksums,
    the examples, the HTML manual and a module file. The module file sets LAMMPS_PLUGIN_PATH to
    lib/cryocycle; with only that, the installed quick-start input (which has no `plugin load`
    line) loads the plugin from there and completes its cycles; without it, the same input stops
    at fix thermal/cycle."""
    prefix = lmp.workdir / "prefix"
    install(prefix)
    plugin_dir = prefix / "lib" / "cryocycle"
    files = sorted(p.name for p in plugin_dir.iterdir())
    check(files == ["cryocycleplugin.so"], f"{plugin_dir} holds {files}, not just cryocycleplugin.so")
    share = prefix / "share" / "cryocycle"
    checksums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=share / "potentials",
                               capture_output=True, text=True)
    check(checksums.returncode == 0, f"installed potentials fail their checksums:\n{checksums.stdout}")
    if os.environ.get("CRYOCYCLE_DOCS") != "0":
        check((prefix / "share" / "doc" / "cryocycle" / "html" / "compute_strain_atom.html").exists(),
              "the HTML manual is not installed")
    example = share / "examples" / "quickstart"
    inputs = list((share / "examples").glob("*/in.*"))
    check(len(inputs) >= 5, f"only {len(inputs)} example inputs installed")
    for path in inputs:
        check(not any(line.split()[:2] == ["plugin", "load"] for line in path.read_text().splitlines()
                      if line.strip()), f"installed {path.name} still has a plugin load line")

    environment = module_environment(prefix)
    check(environment.get("LAMMPS_PLUGIN_PATH") == str(plugin_dir),
          f"the module sets LAMMPS_PLUGIN_PATH={environment.get('LAMMPS_PLUGIN_PATH')!r}, not {plugin_dir}")
    check(environment.get("CRYOCYCLE_ROOT") == str(prefix), f"CRYOCYCLE_ROOT={environment.get('CRYOCYCLE_ROOT')!r}")

    status, output = run_example(lmp, example, None, lmp.np)
    (lmp.workdir / "screen.without_path").write_text(output)
    check(status != 0 and "Unrecognized fix style 'thermal/cycle'" in output,
          "without LAMMPS_PLUGIN_PATH the installed example did not stop at fix thermal/cycle")

    status, output = run_example(lmp, example, environment["LAMMPS_PLUGIN_PATH"], lmp.np)
    (lmp.workdir / "screen.with_path").write_text(output)
    tail = "\n".join(output.splitlines()[-20:])
    check(status == 0, f"the installed example failed (exit {status}):\n{tail}")
    check(f"Loaded 1 plugins from {plugin_dir}" in output, f"lmp did not load the plugin from {plugin_dir}")
    check("CryoCycle plugin built for LAMMPS" in output, "no CryoCycle load message")
    for bad in ("ERROR", "CryoCycle plugin not loaded", "Ignoring load"):
        check(bad not in output, f"'{bad}' in the output of the installed example:\n{tail}")
    report = read_table(example / "ctc_report.txt")
    check([int(row[0]) for row in report] == [1, 2], f"the report has cycles {[row[0] for row in report]}, not 1 2")


if __name__ == "__main__":
    main({"installed_example": installed_example})
