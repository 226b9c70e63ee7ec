"""The LAMMPS inputs that several integration tests start from (harness.py runs them: ${plugin},
${potential} and ${data} are its variables)."""

# Cu64Zr36: 36 % of the type-1 atoms of a 2-type box turned into Zr at random, with the EAM/FS
# potential (the glass of fixtures.py is made from it).
CUZR_ALLOY = """
set type 1 type/ratio 2 0.36 4711
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
"""

# The 864-atom Cu64Zr36 glass of the test fixture (fixtures.py) with its potential.
GLASS_CUZR = """
plugin load ${plugin}
units metal
read_data ${data}/glass.data
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
"""

# A tiny crystal (256 atoms) with the EAM/FS potential: enough for the bad-input tests of every
# style, which stop long before any physics matters.
TINY_CUZR = """
plugin load ${plugin}
units metal
lattice fcc 3.6
region box block 0 4 0 4 0 4
create_box 2 box
create_atoms 1 box
mass * 63.5
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
"""

# An fcc block, 72 x 14.4 x 72 A: free surfaces in x, a thin periodic y (as in the 2024 study's
# sample, where bands fill the thickness) and periodic z. The strain field is a variable.
BLOCK = """
plugin load ${plugin}
units metal
boundary ${boundary}
lattice fcc 3.6
region box block 0 20 0 4 0 20
create_box 1 box
create_atoms 1 box
mass 1 63.5
pair_style zero 4.0
pair_coeff * *
"""

# The block periodic in x too, with a strain/atom compute s and a uniform strain variable e: the
# start of the bad-input cases of compute sbzone/atom.
PERIODIC_BLOCK = BLOCK.replace("${boundary}", "p p p") + "compute s all strain/atom 3.0\nvariable e atom 0.5\n"

BLOCK_2D = """
plugin load ${plugin}
units metal
dimension 2
boundary ${boundary}
lattice hex 2.8
region box block 0 24 0 14 -0.5 0.5
create_box 1 box
create_atoms 1 box
mass 1 63.5
pair_style zero 4.0
pair_coeff * *
"""

# The test-only plugin built for LAMMPS 20000101, which the ABI guard must refuse (test_plugin.py,
# test_versions.py), then a first CryoCycle style.
WRONG_VERSION = """
plugin load ${plugin}/cryocycleplugin_wrong_version.so
plugin list
units metal
region box block 0 1 0 1 0 1
create_box 1 box
fix langevin all langevin 300 300 0.1 1
fix cycle all thermal/cycle langevin 300 80 2
"""
