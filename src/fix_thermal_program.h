/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the base of the fixes that drive a stock thermostat through a temperature program
   (fix thermal/cycle, fix thermal/scan), in the way FixNH is the base of fix nvt, npt and nph.

   The base owns the lifecycle both programs share: the thermostat (looked up in init(), its
   target set every step and checked to be kept), the schedule clock and the elapsed time
   (resumed in setup(), rebased in reset_dt()), the halt when the program completes and its undo
   in post_run(), rerun refusal, internal computes over the fix group, the energy request, the
   output file (one writer per file in one LAMMPS and across partitions) and the framing of the
   restart record. A derived fix says what its program is (the target and phase at a schedule
   time) and what it does on each step (samples, holds, bins); it keeps its own parsing, output
   and analysis.

   Per-step hooks, in the order end_of_step() calls them:
     advance(step)            the step's work at the elapsed time `elapsed` (samples into holds or
                              bins), before the phase is updated; returns the new program point
     program_complete(step)   once, on the step the program completes (default: nothing)
     prepare_next_step(next)  ask for what step `next` will sample (request_energy and friends)
   None of them touches per-atom data in the base: a derived fix reads global compute values,
   except where it says otherwise (thermal/cycle's pe/atom sum over a subgroup).

   Per-atom data under KOKKOS: LAMMPS copies the fields in datamask_read to the host before
   end_of_step() and marks those in datamask_modify as changed after it. The fix changes none
   (datamask_modify is empty) and reads only on the steps it samples or takes a strain reference,
   which it knows a step ahead: end_of_step() and setup() empty datamask_read, and
   prepare_next_step() adds what step `next` will read (read_next_step()).

   Variants. An accelerated variant (/omp, /kk) subclasses the derived fix, as FixNVTKokkos does
   with FixNHKokkos: it sets kokkosable, execution_space, datamask_read and datamask_modify in its
   constructor and overrides only the hook that reads per-atom data. The base's lifecycle reads
   and writes no per-atom arrays and needs no device synchronisation.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_FIX_THERMAL_PROGRAM_H
#define CRYOCYCLE_FIX_THERMAL_PROGRAM_H

#include "fix.h"

#include "exclusive_file.h"
#include "schedule_clock.h"
#include "style_support.h"
#include "thermostat_target.h"

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixThermalProgram : public Fix, public ThermostatDriver {
 public:
  ~FixThermalProgram() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void post_run() override;
  void reset_dt() override;
  double compute_scalar() override;
  void write_restart(FILE *) override;
  void restart(char *) override;
  const std::string &driven_thermostat() const override { return thermostat->id(); }

  // Both programs end in phase 4 (CRYO_PHASE_DONE, CRYO_SCAN_PHASE_DONE): the fix output.
  static constexpr int PHASE_DONE = 4;

 protected:
  // fix ID group-ID style thermostat-ID ...: arg[3] is the thermostat; `nargs` the least count
  FixThermalProgram(class LAMMPS *, int narg, char **arg, int nargs);

  // The program at one schedule time, as the derived fix's kernel gives it.
  struct Point {
    double target;       // the thermostat's target temperature
    int phase;           // the derived fix's phase code; PHASE_DONE when complete
    double time_left;    // schedule time until the program is complete
  };
  // The program at schedule time `time` (no side effects).
  virtual Point point_at(double time) const = 0;
  // Per-step hooks (header comment): the step's own work at `elapsed`, with `phase` still that of
  // the previous step; what step `next` will need; the step the program completes on.
  virtual Point advance(bigint step) = 0;
  virtual void prepare_next_step(bigint next) = 0;
  virtual void program_complete(bigint /*step*/) {}
  // Errors (and warnings) for a program the timestep cannot follow: at the start and whenever
  // the timestep changes.
  virtual void check_time_resolution() const = 0;
  // What the halt message says is complete: "last cycle", "scan".
  virtual const char *completion() const = 0;
  // In init(), after the thermostat is found: the derived fix's inputs from other styles.
  virtual void init_inputs() {}

  // Restart record: format, the program's parameters (compared with those of the fix read into),
  // the clock, elapsed time and step, then the derived fix's own state.
  double restart_format;           // written; bump when the layout changes
  double oldest_restart_format;    // the oldest format still read
  virtual std::vector<double> program_parameters() const = 0;
  virtual void pack_state(std::vector<double> &list) const = 0;
  struct RestartRecord {
    double format;
    const double *parameters;    // as saved, program_parameters().size() of them
    bool same_parameters;        // equal to this fix's
    const double *state;         // what pack_state() wrote
  };
  virtual void unpack_state(const RestartRecord &record) = 0;

  // The `count` values of keyword arg[iarg] (an error naming the keyword if the command ends
  // before them); iarg moves on past them.
  char **keyword_values(int narg, char **arg, int &iarg, int count);
  // The keywords from arg[iarg] on: the derived fix's own through `parse_own(keyword, iarg)`
  // (false if it is not one of them; else iarg moves on past its values), then those both
  // programs take (every, halt); any other is an error.
  using KeywordParser = std::function<bool(const std::string &keyword, int &iarg)>;
  void parse_keywords(int narg, char **arg, int iarg, const KeywordParser &parse_own);
  // At the end of the derived constructor, when the program is defined: the clock starts at
  // schedule time 0 on this step, the timestep is checked, the target is that at time 0.
  void start_program();
  // A compute `style` over the fix group, ID <fix-ID>_<suffix>; internal_compute(k) is the k-th
  // added, found again in every init().
  std::string add_internal_compute(const std::string &suffix, const std::string &style);
  class Compute *internal_compute(size_t k) const { return internal_computes[k]; }
  // The file this fix writes: no other fix of this LAMMPS and no other LAMMPS may write it.
  void open_output(const std::string &path, bool keep, const ExclusiveFile::Role &role);
  // Energies and virials are tallied only on steps some compute asked for in advance: the
  // derived fix asks in prepare_next_step() and notes the step here.
  void energy_requested_for(bigint step) { requested_step = step; }
  // In prepare_next_step(): the per-atom fields (atom_masks.h) step `next` reads.
  void read_next_step(uint64_t fields) { datamask_read |= fields; }
  bool energy_requested_on(bigint step) const { return requested_step == step; }

  // Output values both programs have: PHASE, ELAPSED (schedule time), TIME_LEFT.
  enum ProgramValue { PHASE, ELAPSED, TIME_LEFT };
  double program_value(ProgramValue which) const;
  void apply_target(double temperature);
  double box_volume() const;
  // kernels fail alike on every rank (style_support.h)
  template <typename Status, typename... Args>
  void check_kernel(Status status, fmt::string_view what, Args &&...args) const
  {
    check_status(lmp, Ranks::ALL, status, style_name(this), what, args...);
  }

  int sample_every;
  bool halt_when_done;
  ThermostatTarget *thermostat;
  ExclusiveFile *output;    // nullptr without an output file

  // State that continues across runs and restarts.
  ScheduleClock clock;    // restored too, so a restarted run computes bit-identical times
  double elapsed;         // schedule time at the last processed step
  bigint elapsed_step;    // that step
  int phase;              // the phase at the last processed step
  double target;          // the target set last (or, before a run, the one the next run starts at)

 private:
  bool halted_run;          // this fix ended the current run (and must undo its timeout after it)
  bigint requested_step;    // the step for which energy was requested, -1 if none
  std::vector<std::string> internal_ids;
  std::vector<class Compute *> internal_computes;
};

}    // namespace LAMMPS_NS

#endif
