#!/usr/bin/env python3
"""Shared test data, made once per test run (CTest fixture): a small Cu64Zr36 glass."""

from harness import check, main
from inputs import CUZR_ALLOY

# 864 atoms (fcc 6x6x6 with 36 % Zr on random sites), melted at 2000 K and quenched to 300 K at
# 3.4e14 K/s under zero pressure: a glass in the structural sense, made in ~10 s on one core.
GLASS = """
units metal
boundary p p p
lattice fcc 4.0
region box block 0 6 0 6 0 6
create_box 2 box
create_atoms 1 box""" + CUZR_ALLOY + """velocity all create 2000 87287 mom yes rot yes dist gaussian
timestep 0.002
thermo 500
fix melt all npt temp 2000 2000 0.1 iso 0 0 1
run 1000
unfix melt
fix quench all npt temp 2000 300 0.1 iso 0 0 1
run 2500
write_data ${data}/glass.data
"""


def glass(lmp):
    check(lmp.data is not None, "the glass fixture needs --data")
    lmp.data.mkdir(parents=True, exist_ok=True)
    lmp.run("glass", GLASS, np=1)
    check((lmp.data / "glass.data").stat().st_size > 0, "glass.data was not written")


if __name__ == "__main__":
    main({"glass": glass}, {"glass": (1,)})
