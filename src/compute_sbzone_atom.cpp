/* ----------------------------------------------------------------------
   CryoCycle: compute sbzone/atom (see doc/compute_sbzone_atom.rst).

   1. Band candidates: group atoms with a valid strain above eta_band.
   2. Clusters: candidates closer than `link` are linked; each processor finds the components of its
      owned and ghost candidates (cryo_cluster), then the smallest atom ID of each component is
      passed on through ghost atoms until no label changes: every cluster is labelled with the
      smallest ID of its atoms, on every processor.
   3. The sizes of all clusters are gathered on every processor; clusters of at least `minsize`
      atoms are bands.
   4. Band geometry (cryo_band): coverage of the material along each direction (bins, OR-reduced),
      centre (circular means of fractional coordinates), principal axis (over the directions the
      band does not fill) and the extent of the band along it. Sums over atoms are accumulated in
      fixed point, so that they are exact and the same on any number of processors.
   5. A band that covers the required directions spans the sample; otherwise each of its two ends
      is attached if a band atom near it touches a surface atom (one with few neighbours) of the
      outer surface (a free surface or a notch: surface atoms linked to the material's outermost
      atoms, not the lining of a cavity inside), else free; a front of given length follows every
      free end.
   6. With track (or offset): the band history (band_history.h) gives every band a persistent ID
      and measures its ends along the axis it had when it appeared; with offset, the shear offset
      of every band from the displacements of the matrix atoms near its plane, on either side.
------------------------------------------------------------------------- */

#include "compute_sbzone_atom.h"

#include "atom.h"
#include "band_measurement.h"
#include "band_surfaces.h"
#include "box_flips.h"
#include "citeme.h"
#include "comm.h"
#include "cryo_fixed.h"
#include "cryo_neighbors.h"
#include "cryo_strain.h"
#include "domain.h"
#include "displacement_source.h"
#include "domain_cell.h"
#include "error.h"
#include "group.h"
#include "memory.h"
#include "modify.h"
#include "neighbor.h"
#include "per_atom_input.h"
#include "strain_reference.h"
#include "style_support.h"
#include "update.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace LAMMPS_NS;

// The zones (SSB, NSB tail and front) are those of the study of thermal cycling of shear bands.
static const char cite_sbzone_atom[] =
    "compute sbzone/atom command (CryoCycle): shear-band zones (spanning band, tail and front)\n\n"
    "@Article{Zhang2024,\n"
    " author = {Zhang and others},\n"
    " journal = {Phys. Rev. B},\n volume = 109,\n pages = {104205},\n year = 2024\n}\n\n";

namespace {

constexpr int MAX_ROUNDS = 100000;


}    // namespace

/* ---------------------------------------------------------------------- */

ComputeSBZoneAtom::ComputeSBZoneAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), strain_reference(nullptr), lo(0.3), hi(0.7),
    eta_band(-1.0), link(0.0), link_given(false), minsize(20), span_dims{0, 0, 0},
    span_fraction(0.9), front_is_length(false), front_value(0.25), attach(-1.0),
    surface_fraction(0.7), halo(0.0), track(false), offset_distance(0.0), offset_id(nullptr),
    nmax(0), eta(nullptr), valid(nullptr), label(nullptr),
    surface(nullptr), zone_of(nullptr), zone_values{}, band_rows(nullptr), ghosts(lmp, *this, style_name(this))
{
  if (lmp->citeme) lmp->citeme->add(cite_sbzone_atom);
  if (narg < 4) utils::missing_cmd_args(FLERR, "compute sbzone/atom", error);
  strain = std::make_unique<PerAtomInput>(lmp, "Compute sbzone/atom", id, "strain", arg[3],
                                          "the ID of a compute strain/atom");
  parse_keywords(narg, arg, 4);
  if (eta_band < 0.0) eta_band = lo;
  if (atom->tag_enable == 0) error->all(FLERR, "Compute sbzone/atom requires atom IDs");
  if (offset_distance > 0.0 || persist > 0) track = true;
  if (offset_distance > 0.0 && !offset_id && !strain->bare())
    error->all(FLERR, "Compute sbzone/atom offset needs the ID of a compute strain/atom or displace/atom "
               "that gives displacements when the strain comes from {} (offset {} ID)", strain->text(),
               offset_distance);
  if (!offset_id && offset_distance > 0.0) offset_id = utils::strdup(strain->id().c_str());
  // created now, so that read_restart finds its internal fixes and restores the history
  if (track) history = std::make_unique<BandHistory>(lmp, id);

  peratom_flag = 1;
  size_peratom_cols = NCOLUMNS;
  vector_flag = 1;
  size_vector = 2 * NZONES + (track ? BandHistory::SUMMARIES : 0);
  extvector = -1;
  extlist = new int[size_vector];
  for (int k = 0; k < size_vector; ++k) extlist[k] = k < NZONES ? 1 : 0;    // counts; fractions, bands
  array_flag = 1;
  size_array_cols = BAND_COLUMNS + (track ? BandHistory::COLUMNS : 0);
  size_array_rows = 0;
  size_array_rows_variable = 1;
  extarray = 0;
  comm_forward = 1;
  // per-atom fields read (KOKKOS: style_support.h), with those of the strain and offset sources
  datamask_read = X_MASK | TAG_MASK | MASK_MASK | fields_read_by_input(lmp, *strain) |
      fields_read_by_compute(lmp, offset_id);
  datamask_modify = EMPTY_MASK;
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::parse_keywords(int narg, char **arg, int iarg)
{
  while (iarg < narg) {
    const std::string keyword = arg[iarg];
    auto need = [&](int n) {
      if (iarg + n + 1 > narg) utils::missing_cmd_args(FLERR, "compute sbzone/atom " + keyword, error);
    };
    if (keyword == "window") {
      need(2);
      lo = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      hi = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      if (lo < 0.0 || lo >= hi)
        error->all(FLERR, "Illegal compute sbzone/atom window {} {}: need 0 <= lo < hi", lo, hi);
      iarg += 3;
    } else if (keyword == "band") {
      need(1);
      eta_band = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (eta_band < 0.0) error->all(FLERR, "Illegal compute sbzone/atom band {}: must be >= 0", eta_band);
      iarg += 2;
    } else if (keyword == "link") {
      need(1);
      link = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(link > 0.0)) error->all(FLERR, "Illegal compute sbzone/atom link {}: must be > 0", link);
      link_given = true;
      iarg += 2;
    } else if (keyword == "minsize") {
      need(1);
      minsize = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (minsize < 1) error->all(FLERR, "Illegal compute sbzone/atom minsize {}: must be >= 1", minsize);
      iarg += 2;
    } else if (keyword == "span") {
      need(2);
      const std::string dims = arg[iarg + 1];
      for (int d = 0; d < 3; ++d) span_dims[d] = 0;
      if (dims != "auto") {
        for (char c : dims) {
          if (c < 'x' || c > 'z' || span_dims[c - 'x'])
            error->all(FLERR, "Illegal compute sbzone/atom span dimensions {}: use auto or x, y, z", dims);
          span_dims[c - 'x'] = 1;
        }
        if (dims.empty()) error->all(FLERR, "Illegal compute sbzone/atom span dimensions: empty");
      }
      span_fraction = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      if (!(span_fraction > 0.0 && span_fraction <= 1.0))
        error->all(FLERR, "Illegal compute sbzone/atom span fraction {}: must be in (0, 1]", span_fraction);
      iarg += 3;
    } else if (keyword == "front") {
      need(2);
      const std::string how = arg[iarg + 1];
      if (how != "length" && how != "frac")
        error->all(FLERR, "Illegal compute sbzone/atom front style {}: use length or frac", how);
      front_is_length = how == "length";
      front_value = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      if (!(front_value > 0.0) || (!front_is_length && front_value > 1.0))
        error->all(FLERR, "Illegal compute sbzone/atom front {} {}: must be > 0{}", how, front_value,
                   front_is_length ? "" : " and <= 1");
      iarg += 3;
    } else if (keyword == "attach") {
      need(1);
      attach = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (attach < 0.0) error->all(FLERR, "Illegal compute sbzone/atom attach {}: must be >= 0", attach);
      iarg += 2;
    } else if (keyword == "halo") {
      need(1);
      halo = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (halo < 0.0) error->all(FLERR, "Illegal compute sbzone/atom halo {}: must be >= 0", halo);
      iarg += 2;
    } else if (keyword == "track") {
      need(1);
      track = utils::logical(FLERR, arg[iarg + 1], false, lmp) != 0;
      iarg += 2;
    } else if (keyword == "persist") {
      need(1);
      persist = utils::bnumeric(FLERR, arg[iarg + 1], false, lmp);
      if (persist < 0) error->all(FLERR, "Illegal compute sbzone/atom persist {}: must be >= 0 (timesteps)", persist);
      iarg += 2;
    } else if (keyword == "offset") {
      need(1);
      offset_distance = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(offset_distance > 0.0))
        error->all(FLERR, "Illegal compute sbzone/atom offset {}: must be > 0", offset_distance);
      iarg += 2;
      // an optional compute ID: the next word unless it is a keyword
      static const char *const keywords[] = {"window", "band", "link",  "minsize", "span",   "front",
                                             "attach", "surface", "halo", "track", "persist", "offset"};
      // (a compute named like a keyword is the ID only as the last word: else it is ambiguous)
      if (iarg < narg) {
        const bool is_keyword = std::any_of(std::begin(keywords), std::end(keywords),
                                            [&](const char *k) { return strcmp(arg[iarg], k) == 0; });
        const bool is_compute = modify->get_compute_by_id(arg[iarg]) != nullptr;
        if (is_keyword && is_compute && iarg + 1 < narg)
          error->all(FLERR, "Compute sbzone/atom offset: {} is both a keyword and the ID of a compute: "
                     "to use the compute, put 'offset {} {}' last in the command", arg[iarg],
                     arg[iarg - 1], arg[iarg]);
        if (!is_keyword || is_compute) {
          delete[] offset_id;
          offset_id = utils::strdup(arg[iarg]);
          ++iarg;
        }
      }
    } else if (keyword == "surface") {
      need(1);
      surface_fraction = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(surface_fraction > 0.0 && surface_fraction < 1.0))
        error->all(FLERR, "Illegal compute sbzone/atom surface {}: must be in (0, 1)", surface_fraction);
      iarg += 2;
    } else {
      error->all(FLERR, "Unknown compute sbzone/atom keyword: {}", keyword);
    }
  }
}

/* ---------------------------------------------------------------------- */

ComputeSBZoneAtom::~ComputeSBZoneAtom()
{
  delete[] offset_id;
  delete[] extlist;
  memory->destroy(array_atom);
  memory->destroy(eta);
  memory->destroy(valid);
  memory->destroy(label);
  memory->destroy(surface);
  memory->destroy(zone_of);
  memory->destroy(band_rows);
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::init()
{
  // a bare ID is a compute strain/atom: its von Mises strain and valid flag; c_ID[N] of one also
  // has the valid flag. Any other per-atom value is valid for every atom and needs the link.
  strain->resolve();
  strain_reference = nullptr;
  if (strain->bare()) {
    strain_reference = &StrainReference::find(lmp, "Compute sbzone/atom", "strain", strain->id());
    strain->bare_column(CRYO_STRAIN_COLUMN_ETA_MISES + 1);
    strain->check_shape();
  } else if (strain->kind() == PerAtomInput::COMPUTE) {
    strain_reference = StrainReference::of(lmp, strain->id());
  }
  if (!link_given) {
    if (!strain_reference)
      error->all(FLERR, "Compute sbzone/atom {}: a strain from {}, not from a compute strain/atom, "
                 "needs the link keyword (the distance that links band atoms)", id, strain->text());
    link = strain_reference->neighbor_cutoff();
  }
  // a band cannot span a direction the simulation does not have
  if (domain->dimension == 2 && span_dims[2])
    error->all(FLERR, "Compute sbzone/atom {}: span z in a 2d simulation, which has no z direction: "
               "use span x, y or xy", id);
  if (attach < 0.0) attach = 3.0 * link;
  if (history) {
    history->init();
    history->check_definition(link, minsize, persist);
  }
  if (offset_distance > 0.0) {
    offset = std::make_unique<DisplacementSource>(lmp, style_name(this), offset_id);
    offset->resolve();
  }
  refresh_ghosts = ghosts_lag_box(lmp);
  BandMeasurement::Definition definition;
  definition.minsize = minsize;
  std::copy(span_dims, span_dims + 3, definition.span_dims);
  definition.span_fraction = span_fraction;
  definition.link = link;
  measurement = std::make_unique<BandMeasurement>(lmp, style_name(this), definition);
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::grow()
{
  if (atom->nmax <= nmax) return;
  nmax = atom->nmax;
  memory->destroy(array_atom);
  memory->create(array_atom, nmax, size_peratom_cols, "sbzone/atom:array_atom");
  for (double **array : {&eta, &valid, &label, &surface, &zone_of}) {
    memory->destroy(*array);
    memory->create(*array, nmax, "sbzone/atom:per_atom");
  }
}

/* eta and valid flag of owned atoms, from the strain source */
void ComputeSBZoneAtom::read_strain()
{
  const int nlocal = atom->nlocal;
  const PerAtomInput::Values strain_of = strain->read(igroup);
  for (int i = 0; i < nlocal; ++i) eta[i] = strain_of[i];
  double *const *strain_columns = strain_reference ? strain->compute()->array_atom : nullptr;
  for (int i = 0; i < nlocal; ++i)
    valid[i] = strain_columns ? strain_columns[i][CRYO_STRAIN_COLUMN_VALID] : 1.0;
  // a NaN or inf strain would fall into a class silently (NaN above hi, inf in a band)
  tagint bad_atom = 0;
  for (int i = 0; i < nlocal; ++i)
    if ((atom->mask[i] & groupbit) && valid[i] != 0.0 && !std::isfinite(eta[i]))
      bad_atom = std::max(bad_atom, atom->tag[i]);
  tagint example = 0;
  MPI_Allreduce(&bad_atom, &example, 1, MPI_LMP_TAGINT, MPI_MAX, world);
  if (example != 0)
    error->all(FLERR, "Compute sbzone/atom {}: the strain of atom {} from {} is not a finite number "
               "(NaN or inf)", id, example, strain->text());
}

/* forward communication of GhostExchange, which holds the values in transit */
int ComputeSBZoneAtom::pack_forward_comm(int n, int *list, double *buf, int, int *)
{
  return ghosts.pack(n, list, buf);
}

void ComputeSBZoneAtom::unpack_forward_comm(int n, int first, double *buf)
{
  ghosts.unpack(n, first, buf);
}

/* ----------------------------------------------------------------------
   label[i] = smallest atom ID of the cluster of candidate i (0 for other atoms), owned and ghost
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::label_clusters()
{
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  for (int i = 0; i < nlocal; ++i) {
    const bool candidate = (atom->mask[i] & groupbit) && valid[i] != 0.0 && eta[i] > eta_band;
    label[i] = candidate ? (double) atom->tag[i] : 0.0;
  }
  ghosts.forward(label);
  std::vector<int> points;
  for (int i = 0; i < nall; ++i)
    if (label[i] != 0.0) points.push_back(i);
  ghosts.propagate_min_labels(points, label, link, "band candidates");
}

/* ----------------------------------------------------------------------
   the size of every cluster on every processor; clusters of at least minsize atoms are bands
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::gather_clusters()
{
  std::map<int64_t, int64_t> local;
  for (int i = 0; i < atom->nlocal; ++i)
    if (label[i] != 0.0) ++local[(int64_t) label[i]];
  const std::map<int64_t, int64_t> global = sum_counts(lmp, local);

  cluster_ids.clear();
  cluster_sizes.clear();
  // a link below every interatomic distance links nothing: each candidate atom its own cluster.
  // Said only when there are as many candidates as a band needs atoms: a few isolated atoms above
  // the threshold (early in a loading, thermal noise) are no sign of a wrong link.
  if (global.size() >= (size_t) std::max(2, minsize) && !warned_unlinked &&
      std::all_of(global.begin(), global.end(), [](const auto &entry) { return entry.second == 1; })) {
    warned_unlinked = true;
    if (comm->me == 0)
      error->warning(FLERR, "Compute sbzone/atom {}: link {} connects none of the {} atoms above the band "
                     "threshold: every cluster is a single atom (is the link below the interatomic "
                     "distance?)", id, link, global.size());
  }
  for (const auto &entry : global) {
    cluster_ids.push_back(entry.first);
    cluster_sizes.push_back(entry.second);
  }
  band_of_cluster = measurement->select(cluster_ids, cluster_sizes);
  std::vector<int> &band_of_atom = measurement->band_of_atom;
  band_of_atom.assign(atom->nlocal + 1, -1);
  for (int i = 0; i < atom->nlocal; ++i)
    if (label[i] != 0.0) band_of_atom[i] = band_of_cluster[cluster_index((int64_t) label[i])];
}

int ComputeSBZoneAtom::cluster_index(int64_t cluster) const
{
  const auto it = std::lower_bound(cluster_ids.begin(), cluster_ids.end(), cluster);
  return (it == cluster_ids.end() || *it != cluster) ? -1 : (int) (it - cluster_ids.begin());
}

/* The box in which bands are measured: the box as if it had never flipped (box_flips.h). A flip
   changes the basis of the periodic lattice, and with it the fractional coordinates, the coverage
   of a band per cell direction and so whether it spans; in this basis a band that contains the
   flipped cell vector is measured as in a run without flips. */
cryo_cell ComputeSBZoneAtom::band_cell()
{
  return FixBoxFlips::of(lmp)->unflipped(domain_cell(domain));
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::assign_zones(const std::vector<char> &touches_surface)
{
  const int nlocal = atom->nlocal;
  std::vector<BandMeasurement::Band> &bands = measurement->bands;
  const int nbands = (int) bands.size();
  const std::vector<int> &atom_band = measurement->band_of_atom;
  const std::vector<double> &projection = measurement->projection;
  // ends: attached if a band atom within `attach` of the end touches a surface
  std::vector<int> attached(2 * nbands + 1, 0), all_attached(attached.size());
  for (int i = 0; i < nlocal; ++i) {
    const int bi = atom_band[i];
    if (bi < 0 || !touches_surface[i]) continue;
    if (projection[i] - bands[bi].frame.s_min <= attach) attached[2 * bi] = 1;
    if (bands[bi].frame.s_max - projection[i] <= attach) attached[2 * bi + 1] = 1;
  }
  MPI_Allreduce(attached.data(), all_attached.data(), (int) attached.size(), MPI_INT, MPI_MAX, world);
  for (int bi = 0; bi < nbands; ++bi) {
    BandMeasurement::Band &band = bands[bi];
    band.free_low = !band.spanning && !all_attached[2 * bi];
    band.free_high = !band.spanning && !all_attached[2 * bi + 1];
    band.front_length = front_is_length ? front_value : front_value * (band.frame.s_max - band.frame.s_min);
  }

  std::vector<int64_t> front(nbands + 1, 0), all_front(front.size());
  for (int i = 0; i < nlocal; ++i) {
    double *row = array_atom[i];
    if (!(atom->mask[i] & groupbit)) {
      row[ZONE] = row[CLUSTER] = row[STRAIN_CLASS] = 0.0;
      continue;
    }
    row[CLUSTER] = label[i];
    row[STRAIN_CLASS] = valid[i] == 0.0 ? 0.0 : (eta[i] <= lo ? 1.0 : (eta[i] <= hi ? 2.0 : 3.0));
    const int bi = atom_band[i];
    if (label[i] == 0.0) {
      row[ZONE] = MATRIX;
    } else if (bi < 0 || !is_band[bi]) {    // a small or a young cluster
      row[ZONE] = SMALL;
    } else if (bands[bi].spanning) {
      row[ZONE] = SPANNING;
    } else {
      const BandMeasurement::Band &band = bands[bi];
      const bool in_front = cryo_band_in_front(projection[i], band.frame.s_min, band.frame.s_max, band.free_low,
                                               band.free_high, band.front_length);
      row[ZONE] = in_front ? FRONT : TAIL;
      front[bi] += in_front;
    }
  }
  MPI_Allreduce(front.data(), all_front.data(), (int) front.size(), MPI_INT64_T, MPI_SUM, world);
  for (int bi = 0; bi < nbands; ++bi) bands[bi].front_atoms = all_front[bi];
}

/* is atom i (owned or ghost) in a band */
bool ComputeSBZoneAtom::in_band(int i) const
{
  // labels are final on owned and ghost atoms, and the clusters are the same on every processor
  if (label[i] == 0.0) return false;
  const int bi = band_of_cluster[cluster_index((int64_t) label[i])];
  return bi >= 0 && is_band[bi];
}

/* ----------------------------------------------------------------------
   for the owned group atoms that are not band candidates (centers), the nearest band atom (owned
   or ghost) within radius (ties: the smaller atom ID), or -1 (nearest)
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::nearest_band_atoms(double radius, std::vector<int> &matrix, std::vector<int> &nearest)
{
  // searched from the band atoms, which are few: the cost grows with them, not with the matrix
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  std::vector<int> points, band_atoms;
  std::vector<int> matrix_index(nlocal + 1, -1);    // of an owned matrix atom in `matrix`
  matrix.clear();
  for (int i = 0; i < nall; ++i) {
    const bool is_matrix = i < nlocal && label[i] == 0.0 && (atom->mask[i] & groupbit);
    if (is_matrix) {
      matrix_index[i] = (int) matrix.size();
      matrix.push_back(i);
    } else if (in_band(i)) {
      band_atoms.push_back(i);
    } else {
      continue;
    }
    points.push_back(i);
  }
  NeighborSearch &search = ghosts.find_within(radius, points, band_atoms);
  nearest.assign(matrix.size(), -1);
  std::vector<double> best(matrix.size(), 0.0);
  double **x = atom->x;
  for (size_t c = 0; c < band_atoms.size(); ++c) {
    const int j = band_atoms[c];
    for (int n = 0; n < search.count(c); ++n) {
      const int i = points[search.neighbors(c)[n]];
      if (i >= nlocal || matrix_index[i] < 0) continue;
      const int m = matrix_index[i];
      const double dx = x[j][0] - x[i][0], dy = x[j][1] - x[i][1], dz = x[j][2] - x[i][2];
      const double r2 = dx * dx + dy * dy + dz * dz;
      if (nearest[m] < 0 || r2 < best[m] || (r2 == best[m] && atom->tag[j] < atom->tag[nearest[m]])) {
        nearest[m] = j;
        best[m] = r2;
      }
    }
  }
}

/* ----------------------------------------------------------------------
   matrix atoms of the group within `halo` of a band atom join the zone (and take the cluster ID)
   of the nearest one (ties: the smaller atom ID), so that a zone is a region around its band
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::add_halo()
{
  for (int i = 0; i < atom->nlocal; ++i) zone_of[i] = array_atom[i][ZONE];
  ghosts.forward(zone_of);
  std::vector<int> matrix, nearest;
  nearest_band_atoms(halo, matrix, nearest);
  for (size_t c = 0; c < matrix.size(); ++c) {
    if (nearest[c] < 0) continue;
    array_atom[matrix[c]][ZONE] = zone_of[nearest[c]];
    array_atom[matrix[c]][CLUSTER] = label[nearest[c]];
  }
}

/* ----------------------------------------------------------------------
   shear offset of every band (not of young clusters, which report none), from the displacements
   of the matrix atoms near its plane
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::measure_offsets(const cryo_cell &cell)
{
  if (std::count(is_band.begin(), is_band.end(), 1) == 0) return;
  const int nlocal = atom->nlocal;
  std::vector<int> matrix(nlocal + 1, 0);
  for (int i = 0; i < nlocal; ++i) matrix[i] = label[i] == 0.0 && (atom->mask[i] & groupbit);
  std::vector<double> u;
  offset->displacements(cell, igroup, u);
  measurement->measure_offsets(cell, matrix, u, offset_distance, is_band, fmt::format("compute {}", offset->id()));
}

/* atoms per zone (all group atoms), and the fraction of the zone's atoms with a valid strain that
   have lo < eta <= hi: an atom without a defined strain (e.g. too few neighbours) is in the matrix
   but in neither part of its fraction */
void ComputeSBZoneAtom::zone_statistics()
{
  enum { ATOMS = 0, IN_WINDOW = NZONES, VALID = 2 * NZONES };
  int64_t local[3 * NZONES] = {0}, total[3 * NZONES];
  for (int i = 0; i < atom->nlocal; ++i) {
    const int zone = (int) array_atom[i][ZONE], strain_class = (int) array_atom[i][STRAIN_CLASS];
    if (zone == OUTSIDE) continue;
    ++local[ATOMS + zone - 1];
    if (strain_class != 0) ++local[VALID + zone - 1];
    if (strain_class == 2) ++local[IN_WINDOW + zone - 1];
  }
  MPI_Allreduce(local, total, 3 * NZONES, MPI_INT64_T, MPI_SUM, world);
  for (int z = 0; z < NZONES; ++z) {
    zone_values[z] = (double) total[ATOMS + z];
    zone_values[NZONES + z] = total[VALID + z] > 0 ? (double) total[IN_WINDOW + z] / total[VALID + z] : 0.0;
  }
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  // a cluster link, halo or distance from a band plane that reaches a periodic image of the same
  // atom has no meaning; link and halo are searched among ghost atoms (the offset is not)
  const cryo_cell box = domain_cell(domain);
  const double limit = cryo_cell_max_cutoff(box.h, box.periodic, box.dimension);
  for (const auto &[name, distance] : {std::make_pair("link", link), std::make_pair("halo", halo),
                                       std::make_pair("offset", offset_distance)})
    if (distance >= limit)
      error->all(FLERR, "Compute sbzone/atom {}: {} {} must be below half the smallest periodic width "
                 "of the box ({:.6g})", id, name, distance, limit);
  const double reach = std::max(link, halo);
  check_ghost_reach(lmp, style_name(this), fmt::format("{} {}", halo > link ? "halo" : "link", reach),
                    reach);
  if (refresh_ghosts) comm->forward_comm();    // positions of now for the ghosts: see init()
  grow();
  read_strain();
  ghosts.forward(eta);
  ghosts.forward(valid);
  label_clusters();
  gather_clusters();
  const cryo_cell current = band_cell();
  measurement->measure(current, eta, groupbit);
  const std::vector<BandMeasurement::Band> &bands = measurement->bands;
  // Surfaces only decide which end of a non-spanning band is its tail: without such a band the
  // neighbour count over all atoms is skipped (bands are the same on every rank).
  std::vector<char> touches_surface(atom->nlocal + 1, 0);
  if (std::any_of(bands.begin(), bands.end(), [](const BandMeasurement::Band &band) { return !band.spanning; }))
    touches_surface = BandSurfaces(lmp, ghosts, link, surface_fraction)
                          .mark(surface, current, measurement->fractional, measurement->material_lowest,
                                measurement->material_highest);
  // the history first: it decides which tracked clusters have existed long enough to be bands
  is_band.assign(bands.size(), 1);
  if (track) {
    history->follow((int) bands.size(), measurement->band_of_atom.data(), measurement->fractional.data(), current,
                    measurement->centers.data(), measurement->axes.data(), measurement->coverage.data(),
                    span_fraction);
    for (size_t bi = 0; bi < bands.size(); ++bi) is_band[bi] = history->established((int) bi);
  }
  assign_zones(touches_surface);
  if (offset_distance > 0.0) measure_offsets(current);
  if (track) history->summarize(measurement->bands, zone_values + 2 * NZONES);
  if (halo > 0.0 && std::count(is_band.begin(), is_band.end(), 1) > 0) add_halo();
  zone_statistics();
}

void ComputeSBZoneAtom::compute_vector()
{
  invoked_vector = update->ntimestep;
  if (invoked_peratom != update->ntimestep) compute_peratom();
  vector = zone_values;
}

/* one row per band: ID, atoms, spanning, extent x y z, axis x y z, length along the axis,
   mean eta, atoms in fronts */
void ComputeSBZoneAtom::compute_array()
{
  invoked_array = update->ntimestep;
  if (invoked_peratom != update->ntimestep) compute_peratom();
  memory->destroy(band_rows);
  const std::vector<BandMeasurement::Band> &bands = measurement->bands;
  const int nbands = (int) bands.size();
  memory->create(band_rows, std::max(nbands, 1), size_array_cols, "sbzone/atom:band_rows");
  int nrows = 0;
  for (int bi = 0; bi < nbands; ++bi) {
    if (!is_band[bi]) continue;    // a young cluster
    const BandMeasurement::Band &band = bands[bi];
    double *values = band_rows[nrows++];
    const double row[BAND_COLUMNS] = {(double) band.id, (double) band.atoms, (double) band.spanning,
                            band.extent[0], band.extent[1], band.extent[2],
                            band.frame.axis[0], band.frame.axis[1], band.frame.axis[2],
                            band.frame.s_max - band.frame.s_min, band.mean_eta, (double) band.front_atoms};
    std::copy(row, row + BAND_COLUMNS, values);
    if (!track) continue;
    history->row(bi, band, values + BAND_COLUMNS);
  }
  size_array_rows = nrows;
  array = band_rows;
}

/* the number of bands (rows of the global array), as fix ave/time asks before compute_array() */
int ComputeSBZoneAtom::lock_length()
{
  if (invoked_peratom != update->ntimestep) compute_peratom();
  return (int) std::count(is_band.begin(), is_band.end(), 1);
}

/* ---------------------------------------------------------------------- */

double ComputeSBZoneAtom::memory_usage()
{
  double bytes = (double) nmax * (size_peratom_cols + 5) * sizeof(double);
  // per owned atom: its fractional coordinates; with a history its stored band ID and evaluation
  bytes += (double) atom->nlocal * 3 * sizeof(double);
  if (track) bytes += (double) atom->nmax * 2 * sizeof(double);
  return bytes + ghosts.memory_usage();
}
