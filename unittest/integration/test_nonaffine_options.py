#!/usr/bin/env python3
"""compute strain/atom against the options that stock fix nonaffine/displacement gained after
4Feb2025 (registered for hosts from LAMMPS 4Jul2026 on; see unittest/CMakeLists.txt).

From the 4Jul2026 doc page and source (src/EXTRA-FIX/fix_nonaffine_displacement.cpp), d2min style:
  columns 1-3  sqrt(D2min / N), evol = tr(C - I) / 3, sqrt(dev(C - I) : dev(C - I) / 2)
  columns 4-9  xx, yy, zz, xy, xz, yz of dev(C - I), with C = F^T F (transpose_times3(F, F); the
               doc page writes F F^T) and dev() removing evol from the diagonal before the output
  intensive/d2min no: column 1 is sqrt(D2min), the sum over the neighbours without the 1/N.
With E = (C - I) / 2 (Green-Lagrange, compute strain/atom tensor E, columns 5-10) that gives
  E_xy = col7 / 2, E_xz = col8 / 2, E_yz = col9 / 2, E_ii = (col(3+i) + col2) / 2,
and D2min (compute strain/atom d2min sum, column 3) = col1^2 with intensive/d2min no.
"""

from harness import TestFailure, check, check_close, main, read_dump
from inputs import GLASS_CUZR

THERMAL = GLASS_CUZR + """
timestep 0.002
fix integrate all nve
fix tstat all langevin 300 300 0.1 4711
fix nad all nonaffine/displacement 1 d2min custom 3.5 fixed 0 KEYWORDS
compute e all strain/atom 3.5 neighbors current tensor E
dump d all custom 400 nonaffine.dump id f_nad[*] c_e[*]
dump_modify d format float %.17g
run 400
"""


def strain_tensor(lmp):
    """On a thermally disordered glass, the 6 strain-tensor columns of the stock fix give the
    Green-Lagrange tensor of compute strain/atom (tensor E, neighbors current) per atom, with the
    conversion above, to 1e-8; the 3 first columns keep their 4Feb2025 meaning."""
    lmp.run("tensor", THERMAL.replace("KEYWORDS", ""))
    _, rows = read_dump(lmp.path("nonaffine.dump"))
    check(len(rows) == 864, f"expected 864 atoms, got {len(rows)}")
    check(all(len(v) == 9 + 10 for v in rows.values()), "the stock fix does not output 9 columns")
    sheared = 0
    for atom, v in rows.items():
        stock, ours = v[0:9], v[9:19]
        eta, vol, valid, tensor = ours[0], ours[1], ours[3], ours[4:10]
        check(valid == 1.0, f"atom {atom} invalid in a dense glass")
        expected = [(stock[3 + i] + stock[1]) / 2 for i in range(3)] + [stock[k] / 2 for k in (6, 7, 8)]
        for name, a, b in zip(("xx", "yy", "zz", "xy", "xz", "yz"), tensor, expected):
            check_close(a, b, rel=1e-8, abs_tol=1e-13, what=f"E_{name} of atom {atom}")
        check_close(vol, stock[1] / 2, rel=1e-8, abs_tol=1e-14, what=f"eta_vol of atom {atom}")
        check_close(eta, stock[2] / 2, rel=1e-8, abs_tol=1e-14, what=f"eta^Mises of atom {atom}")
        sheared += abs(tensor[3]) > 1e-3
    check(sheared > 400, f"only {sheared} atoms with |E_xy| > 1e-3: not a test")


# The keyword as the doc page writes it. In 4Jul2026 the parser advances by one argument after
# intensive/d2min (`iarg += 1`, where z/min has `iarg += 2`), so it reads the value as the next
# keyword and stops: "Illegal keyword no in fix nonaffine/displacement".
PARSER_BUG = r"Illegal keyword no in fix nonaffine/displacement"


def extensive_d2min(lmp):
    """intensive/d2min no: column 1 squared is the D2min sum of compute strain/atom (d2min sum,
    neighbors current), to 1e-8. A host whose stock fix cannot parse the keyword (4Jul2026 as
    released, see PARSER_BUG) must stop with exactly that error; the comparison then runs with
    the default intensive output and N from compute coord/atom: D2min sum = N col1^2."""
    script = THERMAL.replace("KEYWORDS", "intensive/d2min no").replace(
        "tensor E\n", "d2min sum\ncompute coord all coord/atom cutoff 3.5\n").replace(
        "c_e[*]", "c_e[*] c_coord")
    extensive = stock_accepts_intensive_keyword(lmp, script)
    if not extensive:
        print("stock fix nonaffine/displacement stops at intensive/d2min (the parser bug of "
              "4Jul2026); comparing the D2min sum with N col1^2 of its default output instead")
        script = script.replace(" intensive/d2min no", "")
    lmp.run("extensive", script)
    _, rows = read_dump(lmp.path("nonaffine.dump"))
    check(len(rows) == 864, f"expected 864 atoms, got {len(rows)}")
    for atom, v in rows.items():
        col1, d2sum, coord = v[0], v[9 + 2], v[9 + 4]
        expected = col1 ** 2 if extensive else coord * col1 ** 2
        check_close(d2sum, expected, rel=1e-8, abs_tol=1e-14, what=f"D2min sum of atom {atom}")
    check(sum(1 for v in rows.values() if v[9 + 2] > 0.01) > 400, "D2min too small: not a test")


def stock_accepts_intensive_keyword(lmp, script):
    """False if the stock fix stops at intensive/d2min with the PARSER_BUG error, True if the input
    runs; any other outcome fails the test."""
    try:
        lmp.run("probe", script.replace("run 400", "run 0"), expect_error=PARSER_BUG)
    except TestFailure as failure:
        check("expected an error, but lmp exited with 0" in str(failure), str(failure))
        return True
    return False


if __name__ == "__main__":
    main({"strain_tensor": strain_tensor, "extensive_d2min": extensive_d2min})
