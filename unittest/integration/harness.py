"""Run the host lmp with the CryoCycle plugin and read back what it printed.

Integration tests are Python scripts (standard library only) that CTest runs as
    <script> <case> --lmp LMP --plugin PLUGIN.so --np N --workdir DIR [--data DIR]
Each case writes LAMMPS inputs into its own work directory, runs lmp (under mpirun when N > 1),
and checks the numbers against independent references. A case fails by raising TestFailure.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
POTENTIAL = REPO / "potentials" / "CuZr_mm.eam.fs"
# the tools' library (tools/cryocycle_files.py, tools/scan_relaxation.py, ...) for the tests
sys.path.append(str(REPO / "tools"))

# A failed `plugin load` does not stop LAMMPS: it only prints "Open of file ... failed" and the
# styles are missing later. Any of these in the output of a run that should succeed is a failure.
PLUGIN_FAILURES = [
    re.compile(r"Open of file .* failed"),
    re.compile(r"compiled for LAMMPS version"),
    re.compile(r"CryoCycle plugin not loaded"),
]
FAILURE_PATTERNS = PLUGIN_FAILURES + [re.compile(r"ERROR")]


class TestFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def check_close(actual, expected, rel=0.0, abs_tol=0.0, what="value"):
    if abs(actual - expected) > max(abs_tol, rel * abs(expected)):
        raise TestFailure(f"{what}: got {actual!r}, expected {expected!r} (rel {rel}, abs {abs_tol})")


class Lammps:
    """The host lmp, the plugin and a scratch directory for one test case."""

    def __init__(self, args):
        self.lmp = args.lmp
        self.plugin = args.plugin
        self.np = args.np
        self.workdir = Path(args.workdir)
        self.data = Path(args.data) if args.data else None
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        self.workdir.mkdir(parents=True)

    def command(self, name, np, variables, lmp_args=()):
        cmd = []
        if np > 1:
            cmd = ["mpirun", "-np", str(np), "--oversubscribe"]
        cmd += [self.lmp, "-nocite", "-log", f"log.{name}", "-in", f"in.{name}",
                "-var", "plugin", str(self.plugin), "-var", "potential", str(POTENTIAL), *lmp_args]
        if self.data:
            cmd += ["-var", "data", str(self.data)]
        for key, value in (variables or {}).items():
            cmd += ["-var", key, str(value)]
        return cmd

    def run(self, name, script, variables=None, np=None, expect_error=None, timeout=900,
            threads=1, allow_plugin_failure=False, lmp_args=(), env=None):
        """Run `script`; return its screen output. With expect_error (a regex), the run must fail
        with a LAMMPS ERROR matching it, and must not have failed to load the plugin (unless
        allow_plugin_failure: the test of the ABI guard itself). lmp_args: more command-line
        switches (e.g. -sf omp -pk omp 2); env: more environment variables."""
        np = self.np if np is None else np
        (self.workdir / f"in.{name}").write_text(script)
        env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   OMP_NUM_THREADS=str(threads), **(env or {}))
        # lmp (and mpirun's ranks) in a process group of their own, so that a hang is killed
        # whole; the timeout is below CTest's, which would only kill this script
        proc = subprocess.Popen(self.command(name, np, variables, lmp_args), cwd=self.workdir, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TestFailure(f"{name}: lmp did not finish within {timeout} s (hang?)") from exc
        (self.workdir / f"screen.{name}").write_text(output)
        tail = "\n".join(output.splitlines()[-25:])
        if expect_error:
            check(proc.returncode != 0, f"{name}: expected an error, but lmp exited with 0\n{tail}")
            for pattern in [] if allow_plugin_failure else PLUGIN_FAILURES:
                check(not pattern.search(output), f"{name}: plugin failed to load\n{tail}")
            errors = [line for line in output.splitlines() if "ERROR" in line]
            check(errors, f"{name}: lmp failed without a LAMMPS ERROR line\n{tail}")
            check(re.search(expect_error, errors[0]),
                  f"{name}: first ERROR does not match /{expect_error}/:\n  {errors[0]}")
            return output
        print(output)    # for ctest --output-on-failure, and its FAIL_REGULAR_EXPRESSION
        check(proc.returncode == 0, f"{name}: lmp exited with {proc.returncode}\n{tail}")
        for pattern in FAILURE_PATTERNS:
            match = pattern.search(output)
            check(not match, f"{name}: output contains '{match.group(0) if match else ''}'\n{tail}")
        return output

    def run_partitions(self, script, variables=None, partitions=2):
        """mpirun -np P lmp -partition Px1 -in <script>: (exit code, [log.lammps.k ...])"""
        self.path("in.partitions").write_text(script)
        command = ["mpirun", "-np", str(partitions), "--oversubscribe", self.lmp, "-nocite", "-partition",
                   f"{partitions}x1", "-in", "in.partitions", "-var", "plugin", str(self.plugin),
                   "-var", "potential", str(POTENTIAL)]
        for key, value in (variables or {}).items():
            command += ["-var", key, str(value)]
        result = subprocess.run(command, cwd=self.workdir, capture_output=True, text=True, timeout=600,
                                env=dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1",
                                         OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMP_NUM_THREADS="1"))
        print(result.stdout, result.stderr[-3000:])
        logs = [self.path(f"log.lammps.{k}") for k in range(partitions)]
        return result.returncode, [log.read_text() if log.exists() else "" for log in logs]

    def path(self, name):
        return self.workdir / name


def thermo_runs(output):
    """Thermo tables of every run in a screen output: a list (one per run) of lists of dicts."""
    runs, header, rows = [], None, []
    for line in output.splitlines():
        words = line.split()
        if words and words[0] == "Step":
            header, rows = words, []
        elif header and line.startswith("Loop time of"):
            runs.append(rows)
            header = None
        elif header and len(words) == len(header):
            try:
                rows.append(dict(zip(header, (float(w) for w in words))))
            except ValueError:
                pass
    return runs


def read_table(path):
    """Rows of numbers from a text file, skipping '#' comments; nan allowed."""
    rows = []
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append([float(w) for w in line.split()])
    return rows


def read_dump(path):
    """The last snapshot of a dump custom file: {atom id: [values after the id]}, and the box
    header lines."""
    text = path.read_text()
    last = text.rsplit("ITEM: TIMESTEP", 1)[-1]
    header, atoms = last.split("ITEM: ATOMS", 1)
    lines = atoms.strip().splitlines()
    columns = lines[0].split()
    rows = {}
    for line in lines[1:]:
        words = line.split()
        rows[int(words[0])] = [float(w) for w in words[1:]]
    return columns, rows


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def lammps_version(executable):
    """The version an lmp prints for -h ("4 Feb 2025"), and as the number 20250204."""
    help_text = subprocess.run([executable, "-h"], capture_output=True, text=True).stdout
    match = re.search(r"Massively Parallel Simulator - (\d+) ([A-Z][a-z]{2}) (\d{4})", help_text)
    check(match, f"{executable} -h does not name a LAMMPS version")
    day, month, year = match.groups()
    return f"{day} {month} {year}", int(year) * 10000 + (MONTHS.index(month) + 1) * 100 + int(day)


def error_cases(errors, preamble):
    """Test cases for bad input: errors maps a name to (input after `preamble`, regex the first
    LAMMPS ERROR line must match); returns {"error_<name>": case}."""
    def make(name, snippet, pattern):
        def case(lmp):
            lmp.run(name, preamble + snippet + "\n", expect_error=pattern)
        case.__doc__ = f"bad input '{name}' ends in a specific LAMMPS ERROR"
        return case
    return {f"error_{name}": make(name, snippet, pattern) for name, (snippet, pattern) in errors.items()}


def main(cases, ranks=None):
    """Command line of a test script. `cases` maps names to functions taking a Lammps; `ranks`
    maps a case to the rank counts CTest runs it with (default: 1 and 2, since every test that
    produces numbers must also hold on 2 ranks; 1 for the bad-input cases error_*, which stop before
    any numbers). `--list` prints "case np" lines for CMake."""
    ranks = ranks or {}
    if sys.argv[1:] == ["--list"]:
        for name in cases:
            for np in ranks.get(name, (1,) if name.startswith("error_") else (1, 2)):
                print(name, np)
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("case", choices=sorted(cases))
    parser.add_argument("--lmp", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--np", type=int, default=1)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--data", help="directory with shared test data (the glass sample)")
    args = parser.parse_args()
    try:
        cases[args.case](Lammps(args))
    except TestFailure as failure:
        print(f"FAIL {args.case} (np={args.np}): {failure}")
        sys.exit(1)
    print(f"PASS {args.case} (np={args.np})")
