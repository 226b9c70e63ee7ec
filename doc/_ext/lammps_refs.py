"""Sphinx extension for pages written in the LAMMPS manual's conventions.

- :doc:`name <page>` references to pages of the LAMMPS manual (compute, fix_ave_time, ...) that are
  not part of this documentation resolve to the manual on docs.lammps.org (config value
  lammps_manual); references to pages that exist here resolve as usual, and any other broken
  reference (e.g. a :ref: label) still fails a build with -n -W.
- "code-block:: LAMMPS" gets a small lexer (comments, variables, numbers), as the LAMMPS manual
  has its own.
"""

from docutils import nodes
from pygments.lexer import RegexLexer
from pygments.token import Comment, Name, Number, Text

# The LAMMPS manual pages that our pages link to. A :doc: target outside this list and outside
# our documentation is a broken reference: a typo must not silently become an external link.
LAMMPS_PAGES = {
    "Build_package", "Howto_output", "change_box", "clear", "comm_modify", "compute",
    "compute_cluster_atom", "compute_coord_atom", "compute_displace_atom", "compute_modify",
    "compute_pe_atom", "compute_reduce", "delete_atoms", "dump", "dump_image", "fix",
    "fix_ave_time", "fix_deform", "fix_deposit", "fix_dt_reset", "fix_halt", "fix_langevin",
    "fix_nh", "fix_nonaffine_displacement", "fix_modify", "fix_temp_berendsen", "fix_temp_csvr",
    "fix_temp_rescale", "minimize", "neighbor", "plugin", "print", "read_restart", "reset_atoms",
    "reset_timestep", "restart", "run", "set", "thermo_modify", "thermo_style", "timer", "units",
    "variable", "atom_modify", "uncompute", "fix_ave_atom", "timestep", "fix_nve", "unfix",
    "compute_temp", "fix_press_berendsen", "rerun", "dump_modify", "group", "compute_chunk_atom",
    "fix_store_state", "fix_ave_chunk", "region",
    "Run_options", "suffix",
}


class LammpsLexer(RegexLexer):
    name = "LAMMPS"
    aliases = ["lammps", "LAMMPS"]
    tokens = {
        "root": [
            (r"#.*?$", Comment.Single),
            (r"\$\{[^}]*\}|\$[A-Za-z]|v_\w+|c_\w+(\[[^\]]*\])*|f_\w+(\[[^\]]*\])*", Name.Variable),
            (r"(?<![\w.])[-+]?\d+(\.\d*)?([eE][-+]?\d+)?(?![\w.])", Number),
            (r"\s+", Text),
            (r"[^\s#$]+", Text),
            (r".", Text),
        ]
    }


def resolve_lammps_page(app, env, node, contnode):
    if node.get("reftype") != "doc":
        return None
    target = node.get("reftarget", "")
    if target not in LAMMPS_PAGES:
        return None
    reference = nodes.reference("", "", internal=False, refuri=f"{app.config.lammps_manual}{target}.html")
    reference.append(contnode)
    return reference


def setup(app):
    app.add_config_value("lammps_manual", "https://docs.lammps.org/", "env")
    app.add_lexer("LAMMPS", LammpsLexer)
    app.connect("missing-reference", resolve_lammps_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
