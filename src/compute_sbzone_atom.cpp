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
#include "band_reductions.h"
#include "box_flips.h"
#include "citeme.h"
#include "comm.h"
#include "cryo_cluster.h"
#include "cryo_fixed.h"
#include "cryo_neighbors.h"
#include "cryo_strain.h"
#include "domain.h"
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

// ComputeSBZoneAtom::surface: the codes of surface atoms are ordered so that, when linked surface
// atoms take the smallest code among them, a set that reaches the outside is all outer surface
constexpr double NOT_SURFACE = 0.0, OUTER_SURFACE = 1.0, CAVITY = 2.0;

}    // namespace

/* ---------------------------------------------------------------------- */

ComputeSBZoneAtom::ComputeSBZoneAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), strain_reference(nullptr), lo(0.3), hi(0.7),
    eta_band(-1.0), link(0.0), link_given(false), minsize(20), span_dims{0, 0, 0},
    span_fraction(0.9), front_is_length(false), front_value(0.25), attach(-1.0),
    surface_fraction(0.7), halo(0.0), track(false), offset_distance(0.0), offset_id(nullptr),
    offset_strain(nullptr), offset_displace(nullptr), nmax(0), eta(nullptr), valid(nullptr), label(nullptr),
    exchange(nullptr), surface(nullptr), zone_of(nullptr), zone_values{}, band_rows(nullptr)
{
  if (lmp->citeme) lmp->citeme->add(cite_sbzone_atom);
  if (narg < 4) utils::missing_cmd_args(FLERR, "compute sbzone/atom", error);
  strain = std::make_unique<PerAtomInput>(lmp, "Compute sbzone/atom", id, "strain", arg[3],
                                          "the ID of a compute strain/atom");
  parse_keywords(narg, arg, 4);
  if (eta_band < 0.0) eta_band = lo;
  if (atom->tag_enable == 0) error->all(FLERR, "Compute sbzone/atom requires atom IDs");
  if (offset_distance > 0.0) track = true;
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
  size_vector = 2 * NZONES + (track ? TRACK_VALUES : 0);
  extvector = -1;
  extlist = new int[size_vector];
  for (int k = 0; k < size_vector; ++k) extlist[k] = k < NZONES ? 1 : 0;    // counts; fractions, bands
  array_flag = 1;
  size_array_cols = BAND_COLUMNS + (track ? TRACK_COLUMNS : 0);
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
    } else if (keyword == "offset") {
      need(1);
      offset_distance = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(offset_distance > 0.0))
        error->all(FLERR, "Illegal compute sbzone/atom offset {}: must be > 0", offset_distance);
      iarg += 2;
      // an optional compute ID: the next word unless it is a keyword
      static const char *const keywords[] = {"window", "band",    "link",  "minsize", "span",  "front",
                                             "attach", "surface", "halo",  "track",   "offset"};
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
  memory->destroy(exchange);
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
    history->check_definition(link, minsize);
  }
  if (offset_distance > 0.0) {
    Compute *source = modify->get_compute_by_id(offset_id);
    if (!source) error->all(FLERR, "Compute sbzone/atom offset compute ID {} does not exist", offset_id);
    offset_strain = StrainReference::of(lmp, offset_id);
    offset_displace = strcmp(source->style, "displace/atom") == 0 ? source : nullptr;
    if (!offset_strain && !offset_displace)
      error->all(FLERR, "Compute sbzone/atom offset compute {} is of style {}, which gives no "
                 "displacements: use a compute strain/atom or displace/atom", offset_id, source->style);
  }
  refresh_ghosts = ghosts_lag_box(lmp);
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::grow()
{
  if (atom->nmax <= nmax) return;
  nmax = atom->nmax;
  memory->destroy(array_atom);
  memory->create(array_atom, nmax, size_peratom_cols, "sbzone/atom:array_atom");
  for (double **array : {&eta, &valid, &label, &exchange, &surface, &zone_of}) {
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

/* ----------------------------------------------------------------------
   owned and ghost atoms `points` within `radius` of each of `centers` (indices of atoms):
   search.neighbors(c) are indices into `points`, search.count(c) how many
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::find_within(double radius, const std::vector<int> &points,
                                    const std::vector<int> &centers)
{
  std::vector<double> xyz(3 * points.size() + 3);
  for (size_t k = 0; k < points.size(); ++k)
    for (int d = 0; d < 3; ++d) xyz[3 * k + d] = atom->x[points[k]][d];
  // centres as indices into points: both lists are sorted by atom index
  std::vector<int> center_points(centers.size());
  for (size_t c = 0; c < centers.size(); ++c)
    center_points[c] = (int) (std::lower_bound(points.begin(), points.end(), centers[c]) - points.begin());
  const auto *x = reinterpret_cast<const double(*)[3]>(xyz.data());
  const cryo_neighbors_status status = search.find((int) points.size(), x, center_points, radius, comm->nthreads);
  check_status(lmp, Ranks::ONE, status, style_name(this), "neighbor search within {}", radius);
}

void ComputeSBZoneAtom::forward(double *values)
{
  // the values of owned atoms to their ghost copies (one double per atom)
  std::memcpy(exchange, values, sizeof(double) * atom->nlocal);
  comm->forward_comm(this);
  std::memcpy(values + atom->nlocal, exchange + atom->nlocal, sizeof(double) * atom->nghost);
}

int ComputeSBZoneAtom::pack_forward_comm(int n, int *list, double *buf, int, int *)
{
  for (int k = 0; k < n; ++k) buf[k] = exchange[list[k]];
  return n;
}

void ComputeSBZoneAtom::unpack_forward_comm(int n, int first, double *buf)
{
  for (int k = 0; k < n; ++k) exchange[first + k] = buf[k];
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
  forward(label);
  std::vector<int> points;
  for (int i = 0; i < nall; ++i)
    if (label[i] != 0.0) points.push_back(i);
  propagate_min_labels(points, label, "band candidates");
}

/* ----------------------------------------------------------------------
   values[p] for every atom p of `points` (owned and ghost atoms, sorted by index; the values of
   the ghosts those of their owners): the smallest value among the points linked to p, where
   points closer than `link` are linked, directly or through other points, across processors.
   Each processor finds the components of its points once (cryo_cluster), then gives every
   component its smallest value and passes the values of owned atoms on to their ghost copies,
   until no value changes on any processor: the rounds count the processor domains a component
   crosses, not its atoms. Afterwards the ghosts hold their owners' values. The values are
   integers (atom IDs, codes) stored as doubles.
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::propagate_min_labels(const std::vector<int> &points, double *values,
                                             const char *what)
{
  find_within(link, points, points);
  std::vector<int> links;
  for (size_t c = 0; c < points.size(); ++c)
    for (int n = 0; n < search.count(c); ++n) {
      const int q = search.neighbors(c)[n];
      if (q > (int) c) {
        links.push_back((int) c);
        links.push_back(q);
      }
    }
  std::vector<int> component(points.size() + 1);
  check_status(lmp, Ranks::ONE,
               cryo_cluster_components((int) points.size(), (int) links.size() / 2, links.data(),
                                       component.data()),
               style_name(this), "connected components of {} {}", points.size(), what);

  std::vector<int64_t> point_label(points.size() + 1);
  for (int round = 0;; ++round) {
    if (round > MAX_ROUNDS)
      error->all(FLERR, "Compute sbzone/atom {}: the labels of the {} did not converge", id, what);
    for (size_t k = 0; k < points.size(); ++k) point_label[k] = (int64_t) values[points[k]];
    int changed = 0, any = 0;
    check_status(lmp, Ranks::ONE,
                 cryo_cluster_min_labels((int) points.size(), component.data(), point_label.data(), &changed),
                 style_name(this), "smallest labels of the {}", what);
    for (size_t k = 0; k < points.size(); ++k) values[points[k]] = (double) point_label[k];
    MPI_Allreduce(&changed, &any, 1, MPI_INT, MPI_MAX, world);
    if (!any) break;
    forward(values);
  }
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
  band_of_cluster.clear();
  bands.clear();
  // a link below every interatomic distance links nothing: each candidate atom its own cluster
  if (global.size() >= 2 && !warned_unlinked &&
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
    if (entry.second >= minsize) {
      band_of_cluster.push_back((int) bands.size());
      Band band;
      band.id = entry.first;
      band.atoms = entry.second;
      bands.push_back(band);
    } else {
      band_of_cluster.push_back(-1);
    }
  }
}

int ComputeSBZoneAtom::cluster_index(int64_t cluster) const
{
  const auto it = std::lower_bound(cluster_ids.begin(), cluster_ids.end(), cluster);
  return (it == cluster_ids.end() || *it != cluster) ? -1 : (int) (it - cluster_ids.begin());
}

/* ----------------------------------------------------------------------
   coverage, centre, principal axis and extent along it of every band
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::band_geometry(const cryo_cell &cell)
{
  const int nlocal = atom->nlocal, nbands = (int) bands.size(), dimension = cell.dimension;
  atom_band.assign(nlocal + 1, -1);
  fractional.assign(3 * nlocal + 3, 0.0);
  if (nbands == 0) return;    // the same on every processor: bands are global
  const std::string who = style_name(this);

  // fractional coordinates; extent of the material (the group) along each direction
  std::vector<double> &f = fractional;
  group_extent(cell, f, material_lowest, material_highest);
  cryo_band_grid grid;
  check_status(lmp, Ranks::ALL, cryo_band_grid_make(&cell, material_lowest, material_highest, link, &grid),
               who, "coverage grid");
  for (int i = 0; i < nlocal; ++i)
    if (label[i] != 0.0) atom_band[i] = band_of_cluster[cluster_index((int64_t) label[i])];

  // pass 1: coverage, centres, mean strain. Fixed-point scales that no sum can overflow: the
  // position terms are at most 1, the strains get the scale their largest magnitude allows.
  double largest_eta = 0.0;
  for (int i = 0; i < nlocal; ++i)
    if (atom_band[i] >= 0) largest_eta = std::max(largest_eta, std::fabs(eta[i]));
  // the position terms need no reduction: their bound, 1, is the same on every processor
  const double unit_scale = cryo_fixed_scale(1.0, (double) atom->natoms);
  const BandReductions reduce(lmp, who, cell, nbands, nlocal, f.data());
  const double eta_scale = reduce.fixed_scale(largest_eta);
  const int nwords = grid.word_offset[3];
  std::vector<uint64_t> bits((size_t) nbands * nwords + 1, 0), all_bits(bits.size());
  std::vector<int64_t> sums((size_t) nbands * CRYO_BAND_SUMS + 1, 0), all_sums(sums.size());
  check_status(lmp, Ranks::ONE,
               cryo_band_accumulate(&grid, nlocal, f.data(), atom_band.data(), eta, unit_scale,
                                    eta_scale, nbands, bits.data(), sums.data()),
               who, "band coverage and position sums");
  MPI_Allreduce(bits.data(), all_bits.data(), (int) bits.size(), MPI_UINT64_T, MPI_BOR, world);
  MPI_Allreduce(sums.data(), all_sums.data(), (int) sums.size(), MPI_INT64_T, MPI_SUM, world);

  // spanning: the band covers the required directions (automatic: the non-periodic ones; all
  // periodic: any dimension-1 of them)
  int required[3] = {0, 0, 0}, required_count = 0;
  const bool automatic = !span_dims[0] && !span_dims[1] && !span_dims[2];
  for (int d = 0; d < dimension; ++d) {
    required[d] = automatic ? !cell.periodic[d] : span_dims[d];
    required_count += required[d];
  }
  const bool automatic_all_periodic = automatic && required_count == 0;
  centers.assign(3 * nbands, 0.0);
  coverage.assign(3 * nbands, 0.0);
  for (int bi = 0; bi < nbands; ++bi) {
    Band &band = bands[bi];
    cryo_band_summarize(&grid, &all_bits[(size_t) bi * nwords], &all_sums[(size_t) bi * CRYO_BAND_SUMS],
                        band.atoms, unit_scale, eta_scale, band.coverage, band.center, &band.mean_eta);
    int covered = 0, spans = 1;
    for (int d = 0; d < dimension; ++d) {
      band.extent[d] = band.coverage[d] * grid.length[d];
      const bool full = band.coverage[d] >= span_fraction;
      covered += full;
      if (required[d] && !full) spans = 0;
    }
    band.spanning = automatic_all_periodic ? covered >= dimension - 1 : spans;
    std::copy(band.center, band.center + 3, &centers[3 * bi]);
    std::copy(band.coverage, band.coverage + 3, &coverage[3 * bi]);
  }

  // pass 2: offsets from the centres (without the directions a band fills: where an atom sits
  // across the thickness a band fills says nothing about where the band ends, and in a tilted box
  // the periodic image chosen along such a vector would shift the atom along the others),
  // second moments -> principal axis, positions along it -> the ends
  const std::vector<double> offsets =
      reduce.offsets(atom_band.data(), centers.data(), coverage.data(), span_fraction, "band atoms");
  const std::vector<double> covariances = reduce.covariances(atom_band.data(), offsets, "band atoms");
  axes.assign(3 * nbands, 0.0);
  const int use[3] = {1, 1, dimension == 3};
  for (int bi = 0; bi < nbands; ++bi) {
    check_status(lmp, Ranks::ALL, cryo_band_principal_axis(&covariances[6 * bi], use, bands[bi].axis), who,
                 "principal axis of band {}", bands[bi].id);
    std::copy(bands[bi].axis, bands[bi].axis + 3, &axes[3 * bi]);
  }
  std::vector<double> s_min, s_max;
  reduce.ends(atom_band.data(), offsets, axes.data(), projection, s_min, s_max, "band axes");
  for (int bi = 0; bi < nbands; ++bi) {
    bands[bi].s_min = s_min[bi];
    bands[bi].s_max = s_max[bi];
  }
}

/* ----------------------------------------------------------------------
   surface atoms: fewer than surface_fraction of the mean number of atoms within link. They are
   joined into sets through the layer they and the atoms within link of them form: two atoms of
   the layer closer than link are linked, transitively, across processors. A set that reaches the
   material's outer boundary (seed_outer_surface()) is the outer surface: a free surface, or a
   notch or void cut into it; the other sets line cavities inside the material, which do not
   attach band ends. (Linking surface atoms only to each other would split the lining of a notch
   in a crystal where its corners or facets keep too many neighbours to be surface atoms, e.g. 9
   of 12 in fcc.) Afterwards surface[i] is OUTER_SURFACE in the layer of the outer surface,
   CAVITY in those of cavities and NOT_SURFACE elsewhere; touches_surface[i] for owned atoms: a
   surface atom of the outer surface or within link of one (in its layer).
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::mark_surfaces(std::vector<char> &touches_surface)
{
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  std::vector<int> points(nall), owned(nlocal);
  for (int i = 0; i < nall; ++i) points[i] = i;
  for (int i = 0; i < nlocal; ++i) owned[i] = i;
  find_within(link, points, owned);
  int64_t local[2] = {0, nlocal}, total[2];
  for (int i = 0; i < nlocal; ++i) local[0] += search.count(i);
  MPI_Allreduce(local, total, 2, MPI_INT64_T, MPI_SUM, world);
  const double mean = total[1] > 0 ? (double) total[0] / total[1] : 0.0;
  for (int i = 0; i < nlocal; ++i)
    surface[i] = search.count(i) < surface_fraction * mean ? CAVITY : NOT_SURFACE;
  // in a box periodic in every direction nothing tells a cavity from the outside: every surface
  // atom attaches, as a hole cut into a periodic sample must (documented as a limitation)
  if (!seed_outer_surface())
    for (int i = 0; i < nlocal; ++i)
      if (surface[i] == CAVITY) surface[i] = OUTER_SURFACE;
  forward(surface);

  // the layer: the atoms within link of a surface atom join it, with the largest code (they take
  // the code of their set below)
  std::vector<char> in_layer(nlocal + 1, 0);
  for (int i = 0; i < nlocal; ++i)
    for (int n = 0; n < search.count(i) && !in_layer[i]; ++n)
      in_layer[i] = surface[search.neighbors(i)[n]] != NOT_SURFACE;
  for (int i = 0; i < nlocal; ++i)
    if (in_layer[i] && surface[i] == NOT_SURFACE) surface[i] = CAVITY;
  forward(surface);
  std::vector<int> layer;
  for (int i = 0; i < nall; ++i)
    if (surface[i] != NOT_SURFACE) layer.push_back(i);
  propagate_min_labels(layer, surface, "surface atoms and their neighbors");    // OUTER_SURFACE < CAVITY
  touches_surface.assign(nlocal + 1, 0);
  for (int i = 0; i < nlocal; ++i) touches_surface[i] = surface[i] == OUTER_SURFACE;
}

/* ----------------------------------------------------------------------
   the owned surface atoms (surface[i] == CAVITY so far) within link of the material's outermost
   atoms along a non-periodic direction (the group's lowest or highest fractional coordinate on
   any processor, the distance measured normal to the cell face) become OUTER_SURFACE; false if
   every direction is periodic (nothing is outside the material). Called after band_geometry(),
   whose fractional coordinates and material extent it uses (there is a band, else no surfaces
   are needed).
------------------------------------------------------------------------- */

bool ComputeSBZoneAtom::seed_outer_surface()
{
  const cryo_cell cell = band_cell();
  int bounded[3] = {0, 0, 0}, any_bounded = 0;
  for (int d = 0; d < cell.dimension; ++d) any_bounded |= bounded[d] = !cell.periodic[d];
  if (!any_bounded) return false;
  const std::vector<double> &f = fractional;
  const double *lowest = material_lowest, *highest = material_highest;
  double width[3];
  cryo_cell_widths(cell.h, cell.dimension, width);
  for (int i = 0; i < atom->nlocal; ++i) {
    if (surface[i] != CAVITY) continue;
    for (int d = 0; d < 3; ++d) {
      const double from_low = (f[3 * i + d] - lowest[d]) * width[d];
      const double from_high = (highest[d] - f[3 * i + d]) * width[d];
      if (bounded[d] && (from_low <= link || from_high <= link)) surface[i] = OUTER_SURFACE;
    }
  }
  return true;
}

/* The box in which bands are measured: the box as if it had never flipped (box_flips.h). A flip
   changes the basis of the periodic lattice, and with it the fractional coordinates, the coverage
   of a band per cell direction and so whether it spans; in this basis a band that contains the
   flipped cell vector is measured as in a run without flips. */
cryo_cell ComputeSBZoneAtom::band_cell()
{
  return FixBoxFlips::of(lmp)->unflipped(domain_cell(domain));
}

/* fractional coordinates f of the owned atoms; lowest, highest: those of the group's atoms on any
   processor, per direction */
void ComputeSBZoneAtom::group_extent(const cryo_cell &cell, std::vector<double> &f, double lowest[3],
                                     double highest[3])
{
  const int nlocal = atom->nlocal;
  const std::string who = style_name(this);
  double lo_here[3] = {1e300, 1e300, 1e300}, hi_here[3] = {-1e300, -1e300, -1e300};
  f.assign(3 * nlocal + 3, 0.0);
  for (int i = 0; i < nlocal; ++i) {
    check_status(lmp, Ranks::ONE, cryo_cell_fractional(&cell, atom->x[i], &f[3 * i]), who,
                 "fractional coordinates of atom {}", atom->tag[i]);
    if (!(atom->mask[i] & groupbit)) continue;
    for (int d = 0; d < 3; ++d) {
      lo_here[d] = std::min(lo_here[d], f[3 * i + d]);
      hi_here[d] = std::max(hi_here[d], f[3 * i + d]);
    }
  }
  MPI_Allreduce(lo_here, lowest, 3, MPI_DOUBLE, MPI_MIN, world);
  MPI_Allreduce(hi_here, highest, 3, MPI_DOUBLE, MPI_MAX, world);
}

/* ---------------------------------------------------------------------- */

void ComputeSBZoneAtom::assign_zones(const std::vector<char> &touches_surface)
{
  const int nlocal = atom->nlocal, nbands = (int) bands.size();
  // ends: attached if a band atom within `attach` of the end touches a surface
  std::vector<int> attached(2 * nbands + 1, 0), all_attached(attached.size());
  for (int i = 0; i < nlocal; ++i) {
    const int bi = atom_band[i];
    if (bi < 0 || !touches_surface[i]) continue;
    if (projection[i] - bands[bi].s_min <= attach) attached[2 * bi] = 1;
    if (bands[bi].s_max - projection[i] <= attach) attached[2 * bi + 1] = 1;
  }
  MPI_Allreduce(attached.data(), all_attached.data(), (int) attached.size(), MPI_INT, MPI_MAX, world);
  for (int bi = 0; bi < nbands; ++bi) {
    Band &band = bands[bi];
    band.free_low = !band.spanning && !all_attached[2 * bi];
    band.free_high = !band.spanning && !all_attached[2 * bi + 1];
    band.front_length = front_is_length ? front_value : front_value * (band.s_max - band.s_min);
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
    } else if (bi < 0) {
      row[ZONE] = SMALL;
    } else if (bands[bi].spanning) {
      row[ZONE] = SPANNING;
    } else {
      const Band &band = bands[bi];
      const bool in_front = cryo_band_in_front(projection[i], band.s_min, band.s_max, band.free_low,
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
  return label[i] != 0.0 && band_of_cluster[cluster_index((int64_t) label[i])] >= 0;
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
  find_within(radius, points, band_atoms);
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
  forward(zone_of);
  std::vector<int> matrix, nearest;
  nearest_band_atoms(halo, matrix, nearest);
  for (size_t c = 0; c < matrix.size(); ++c) {
    if (nearest[c] < 0) continue;
    array_atom[matrix[c]][ZONE] = zone_of[nearest[c]];
    array_atom[matrix[c]][CLUSTER] = label[nearest[c]];
  }
}

/* ----------------------------------------------------------------------
   u[3i..]: the displacement of owned atom i since the offset source's reference: compute
   strain/atom (without the affine deformation of the box) or compute displace/atom (as it is)
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::displacements(const cryo_cell &cell, std::vector<double> &u)
{
  const int nlocal = atom->nlocal;
  u.assign(3 * nlocal + 3, 0.0);
  if (offset_strain) {
    offset_strain->nonaffine_displacements(cell, nlocal, u.data());
    return;
  }
  // displace/atom gives atoms outside its group no displacement: a slip across a band would read 0
  const int displace_bit = group->bitmask[offset_displace->igroup];
  int outside = 0, total_outside = 0;
  for (int i = 0; i < nlocal; ++i)
    if ((atom->mask[i] & groupbit) && !(atom->mask[i] & displace_bit)) ++outside;
  MPI_Allreduce(&outside, &total_outside, 1, MPI_INT, MPI_SUM, world);
  if (total_outside > 0)
    error->all(FLERR, "Compute sbzone/atom {}: {} atoms of group {} are not in group {} of offset "
               "compute {}, which gives them no displacement: define the displace/atom compute for "
               "group all (or a group containing {})", id, total_outside, group->names[igroup],
               group->names[offset_displace->igroup], offset_displace->id, group->names[igroup]);
  if (offset_displace->invoked_peratom != update->ntimestep) offset_displace->compute_peratom();
  offset_displace->invoked_flag |= Compute::INVOKED_PERATOM;
  for (int i = 0; i < nlocal; ++i)
    for (int d = 0; d < 3; ++d) u[3 * i + d] = offset_displace->array_atom[i][d];
}

/* ----------------------------------------------------------------------
   shear offset of every band: the jump of the mean displacement across its plane (normal: the
   direction of least spread of its atoms), from the matrix atoms within offset_distance of the
   plane and between the band's ends
------------------------------------------------------------------------- */

void ComputeSBZoneAtom::measure_offsets(const cryo_cell &cell)
{
  const int nlocal = atom->nlocal, nbands = (int) bands.size();
  if (nbands == 0) return;
  const std::string who = style_name(this);
  const double never_filled = 2.0;    // coverage <= 1: no direction is dropped

  // the plane of each band: the covariance of all offsets of its atoms from its centre
  const BandReductions::Members members = BandReductions::members(nlocal, fractional.data(), atom_band.data());
  const BandReductions of_members(lmp, who, cell, nbands, members.count(), members.f.data());
  const std::vector<double> covariances = of_members.covariances(
      members.band.data(),
      of_members.offsets(members.band.data(), centers.data(), coverage.data(), never_filled, "band planes"),
      "band planes");
  const BandReductions reduce(lmp, who, cell, nbands, nlocal, fractional.data());
  std::vector<double> normals(3 * nbands + 3, 0.0);
  const int use[3] = {1, 1, domain->dimension == 3};
  for (int bi = 0; bi < nbands; ++bi) {
    check_status(lmp, Ranks::ALL, cryo_band_plane_normal(&covariances[6 * bi], use, bands[bi].normal), who,
                 "plane of band {}", bands[bi].id);
    std::copy(bands[bi].normal, bands[bi].normal + 3, &normals[3 * bi]);
  }

  // the matrix atoms within offset_distance of each band's plane, between its ends (a spanning
  // band has none), on either side of the plane
  std::vector<int> matrix(nlocal + 1, 0), limited(nbands + 1, 0);
  for (int i = 0; i < nlocal; ++i) matrix[i] = label[i] == 0.0 && (atom->mask[i] & groupbit);
  std::vector<double> s_min(nbands + 1), s_max(nbands + 1);
  for (int bi = 0; bi < nbands; ++bi) {
    limited[bi] = !bands[bi].spanning;
    s_min[bi] = bands[bi].s_min;
    s_max[bi] = bands[bi].s_max;
  }
  std::vector<double> u;
  displacements(cell, u);
  double largest_u = 0.0;
  for (int i = 0; i < nlocal; ++i)
    if (matrix[i])
      for (int d = 0; d < 3; ++d) largest_u = std::max(largest_u, std::fabs(u[3 * i + d]));
  const double u_scale = reduce.fixed_scale(largest_u);
  std::vector<int64_t> sides((size_t) nbands * CRYO_BAND_SIDE_SUMS + 1, 0), all_sides(sides.size());
  check_status(lmp, Ranks::ONE,
               cryo_band_plane_sums(&cell, nlocal, fractional.data(), matrix.data(), u.data(), nbands,
                                    centers.data(), coverage.data(), span_fraction, normals.data(), axes.data(),
                                    s_min.data(), s_max.data(), limited.data(), offset_distance, u_scale,
                                    sides.data()),
               who, "displacements on the two sides of the bands (from compute {})", offset_id);
  MPI_Allreduce(sides.data(), all_sides.data(), (int) sides.size(), MPI_INT64_T, MPI_SUM, world);
  for (int bi = 0; bi < nbands; ++bi)
    bands[bi].offset_measured = cryo_band_shear_offset(&all_sides[(size_t) bi * CRYO_BAND_SIDE_SUMS], u_scale,
                                                       bands[bi].normal, &bands[bi].offset) != 0;
}

/* summaries of the band history (global vector after the zone values) */
void ComputeSBZoneAtom::track_summaries()
{
  double *v = zone_values + 2 * NZONES;
  std::fill(v, v + TRACK_VALUES, 0.0);
  int offsets[2] = {0, 0};
  for (size_t bi = 0; bi < bands.size(); ++bi) {
    const Band &band = bands[bi];
    const BandHistory::Record &record = history->record((int) bi);
    v[0] += 1.0;
    v[1] += band.spanning;
    const double since_previous[2] = {record.low_advance_since_previous(), record.high_advance_since_previous()};
    const double since_first[2] = {record.low_advance_since_first(), record.high_advance_since_first()};
    const int free_end[2] = {band.free_low, band.free_high};
    for (int e = 0; e < 2; ++e) {
      if (!free_end[e]) continue;
      v[4] = std::max(v[4], since_previous[e]);
      v[5] += since_previous[e];
      v[6] += since_first[e];
    }
    if (!band.offset_measured) continue;
    v[7 + !band.spanning] += band.offset;
    offsets[!band.spanning] += 1;
  }
  v[2] = history->new_bands();
  v[3] = history->ended_bands();
  for (int k = 0; k < 2; ++k) v[7 + k] = offsets[k] > 0 ? v[7 + k] / offsets[k] : 0.0;
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
  forward(eta);
  forward(valid);
  label_clusters();
  gather_clusters();
  const cryo_cell current = band_cell();
  band_geometry(current);
  // Surfaces only decide which end of a non-spanning band is its tail: without such a band the
  // neighbour count over all atoms is skipped (bands are the same on every rank).
  std::vector<char> touches_surface(atom->nlocal + 1, 0);
  if (std::any_of(bands.begin(), bands.end(), [](const Band &band) { return !band.spanning; }))
    mark_surfaces(touches_surface);
  assign_zones(touches_surface);
  if (offset_distance > 0.0) measure_offsets(current);
  if (track) {
    history->follow((int) bands.size(), atom_band.data(), fractional.data(), current, centers.data(),
                    axes.data(), coverage.data(), span_fraction);
    track_summaries();
  }
  if (halo > 0.0 && !bands.empty()) add_halo();
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
  const int nbands = (int) bands.size();
  memory->create(band_rows, std::max(nbands, 1), size_array_cols, "sbzone/atom:band_rows");
  for (int bi = 0; bi < nbands; ++bi) {
    const Band &band = bands[bi];
    const double row[BAND_COLUMNS] = {(double) band.id, (double) band.atoms, (double) band.spanning,
                            band.extent[0], band.extent[1], band.extent[2],
                            band.axis[0], band.axis[1], band.axis[2],
                            band.s_max - band.s_min, band.mean_eta, (double) band.front_atoms};
    std::copy(row, row + BAND_COLUMNS, band_rows[bi]);
    if (!track) continue;
    const BandHistory::Record &r = history->record(bi);
    const double tracked[TRACK_COLUMNS] = {(double) r.id, (double) r.first_evaluation, (double) r.first_step,
                                           r.low, r.high, r.low_advance_since_first(),
                                           r.high_advance_since_first(), r.low_advance_since_previous(),
                                           r.high_advance_since_previous(), (double) band.free_low,
                                           (double) band.free_high, band.offset};
    std::copy(tracked, tracked + TRACK_COLUMNS, band_rows[bi] + BAND_COLUMNS);
  }
  size_array_rows = nbands;
  array = band_rows;
}

/* the number of bands (rows of the global array), as fix ave/time asks before compute_array() */
int ComputeSBZoneAtom::lock_length()
{
  if (invoked_peratom != update->ntimestep) compute_peratom();
  return (int) bands.size();
}

/* ---------------------------------------------------------------------- */

double ComputeSBZoneAtom::memory_usage()
{
  double bytes = (double) nmax * (size_peratom_cols + 6) * sizeof(double);
  // per owned atom: its fractional coordinates; with a history its stored band ID and evaluation
  bytes += (double) atom->nlocal * 3 * sizeof(double);
  if (track) bytes += (double) atom->nmax * 2 * sizeof(double);
  return bytes + search.memory_usage();
}
