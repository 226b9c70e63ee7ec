/* cryo_schedule: see cryo_schedule.h. */
#include "cryo_schedule.h"

#include "cryo_segments.h"

#include <math.h>
#include <stddef.h>

const char *cryo_schedule_status_message(cryo_schedule_status status)
{
  switch (status) {
    case CRYO_SCHEDULE_OK:
      return "success";
    case CRYO_SCHEDULE_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_SCHEDULE_ERROR_TEMPERATURE_NOT_POSITIVE:
      return "temperatures must be finite and Tlow must be > 0";
    case CRYO_SCHEDULE_ERROR_TEMPERATURE_ORDER:
      return "Tlow must be < Thigh";
    case CRYO_SCHEDULE_ERROR_RATE:
      return "ramp rates must be finite and > 0";
    case CRYO_SCHEDULE_ERROR_HOLD:
      return "hold durations must be finite and >= 0";
    case CRYO_SCHEDULE_ERROR_CYCLES:
      return "the number of cycles must be >= 1";
    case CRYO_SCHEDULE_ERROR_START:
      return "start must be high or low";
    case CRYO_SCHEDULE_ERROR_TIME:
      return "elapsed time and tolerance must be finite and >= 0";
    case CRYO_SCHEDULE_ERROR_TIMESTEP:
      return "the timestep must be finite and > 0";
    case CRYO_SCHEDULE_ERROR_DURATION:
      return "the cycle time must be > 0 and, like the total time of all cycles, finite";
    case CRYO_SCHEDULE_ERROR_STEPS:
      return "the schedule must complete within 2^53 steps (the step clock is exact up to there)";
  }
  return "unknown status";
}

/* Each parameter on its own; cryo_schedule_validate adds the durations they make up. */
static cryo_schedule_status validate_parameters(const cryo_schedule_params *p)
{
  if (!p) return CRYO_SCHEDULE_ERROR_NULL_ARGUMENT;
  if (!isfinite(p->t_high) || !isfinite(p->t_low) || p->t_low <= 0.0)
    return CRYO_SCHEDULE_ERROR_TEMPERATURE_NOT_POSITIVE;
  if (p->t_low >= p->t_high) return CRYO_SCHEDULE_ERROR_TEMPERATURE_ORDER;
  if (!isfinite(p->rate_cool) || !isfinite(p->rate_heat) || p->rate_cool <= 0.0 || p->rate_heat <= 0.0)
    return CRYO_SCHEDULE_ERROR_RATE;
  if (!isfinite(p->hold_low) || !isfinite(p->hold_high) || p->hold_low < 0.0 || p->hold_high < 0.0)
    return CRYO_SCHEDULE_ERROR_HOLD;
  if (p->ncycles < 1) return CRYO_SCHEDULE_ERROR_CYCLES;
  if (p->start != CRYO_SCHEDULE_START_HIGH && p->start != CRYO_SCHEDULE_START_LOW)
    return CRYO_SCHEDULE_ERROR_START;
  return CRYO_SCHEDULE_OK;
}

enum { SEGMENTS_PER_CYCLE = 4 };

static void cycle_segments(const cryo_schedule_params *p, cryo_segment seg[SEGMENTS_PER_CYCLE])
{
  const double span = p->t_high - p->t_low;
  const cryo_segment cool = {span / p->rate_cool, p->t_high, p->t_low, CRYO_PHASE_COOLING};
  const cryo_segment cold = {p->hold_low, p->t_low, p->t_low, CRYO_PHASE_COLD_HOLD};
  const cryo_segment heat = {span / p->rate_heat, p->t_low, p->t_high, CRYO_PHASE_HEATING};
  const cryo_segment hot = {p->hold_high, p->t_high, p->t_high, CRYO_PHASE_HOT_HOLD};
  const int low_first = p->start == CRYO_SCHEDULE_START_LOW;
  seg[0] = low_first ? heat : cool;
  seg[1] = low_first ? hot : cold;
  seg[2] = low_first ? cool : heat;
  seg[3] = low_first ? cold : hot;
}

static double cycle_time(const cryo_segment seg[SEGMENTS_PER_CYCLE])
{
  return seg[0].duration + seg[1].duration + seg[2].duration + seg[3].duration;
}

double cryo_schedule_cycle_duration(const cryo_schedule_params *p)
{
  if (validate_parameters(p) != CRYO_SCHEDULE_OK) return NAN;
  cryo_segment seg[SEGMENTS_PER_CYCLE];
  cycle_segments(p, seg);
  return cycle_time(seg);
}

double cryo_schedule_total_duration(const cryo_schedule_params *p)
{
  return (double) (p ? p->ncycles : 0) * cryo_schedule_cycle_duration(p);
}

cryo_schedule_status cryo_schedule_validate(const cryo_schedule_params *p)
{
  const cryo_schedule_status status = validate_parameters(p);
  if (status != CRYO_SCHEDULE_OK) return status;
  /* Each duration is finite, their sum need not be (nor ncycles times it); a cycle of ramps too
     short to be represented has no length at all. Either would make the schedule time NaN. */
  const double cycle = cryo_schedule_cycle_duration(p);
  if (!(cycle > 0.0) || !isfinite(cycle) || !isfinite(cryo_schedule_total_duration(p)))
    return CRYO_SCHEDULE_ERROR_DURATION;
  return CRYO_SCHEDULE_OK;
}

cryo_schedule_status cryo_schedule_evaluate(const cryo_schedule_params *p, double elapsed,
                                            double tolerance, cryo_schedule_point *point)
{
  if (!point) return CRYO_SCHEDULE_ERROR_NULL_ARGUMENT;
  const cryo_schedule_status status = cryo_schedule_validate(p);
  if (status != CRYO_SCHEDULE_OK) return status;
  if (!isfinite(elapsed) || !isfinite(tolerance) || elapsed < 0.0 || tolerance < 0.0)
    return CRYO_SCHEDULE_ERROR_TIME;

  cryo_segment seg[SEGMENTS_PER_CYCLE];
  cycle_segments(p, seg);
  const double cycle = cycle_time(seg);
  const double total = p->ncycles * cycle;
  const double tol = cryo_segments_tolerance(tolerance, elapsed);

  if (elapsed >= total - tol) {
    point->phase = CRYO_PHASE_DONE;
    point->completed_cycles = p->ncycles;
    point->target = seg[SEGMENTS_PER_CYCLE - 1].t_end;
    point->time_left = 0.0;
    return CRYO_SCHEDULE_OK;
  }

  double k = floor((elapsed + tol) / cycle);
  if (k > p->ncycles - 1) k = p->ncycles - 1;
  double tau = elapsed - k * cycle; /* time into the current cycle */
  if (tau < 0.0) tau = 0.0;         /* rounding just below a cycle boundary that belongs to cycle k */

  const int s = cryo_segments_locate(seg, SEGMENTS_PER_CYCLE, tau, tol, &point->target);
  point->phase = (cryo_schedule_phase) seg[s].phase;
  point->completed_cycles = (int) k;
  point->time_left = total - elapsed > 0.0 ? total - elapsed : 0.0;
  return CRYO_SCHEDULE_OK;
}

cryo_schedule_status cryo_schedule_clock_start(cryo_schedule_clock *clock, double time, int64_t step,
                                               double dt)
{
  if (!clock) return CRYO_SCHEDULE_ERROR_NULL_ARGUMENT;
  if (!isfinite(time) || time < 0.0) return CRYO_SCHEDULE_ERROR_TIME;
  if (!isfinite(dt) || dt <= 0.0) return CRYO_SCHEDULE_ERROR_TIMESTEP;
  clock->anchor_time = time;
  clock->anchor_step = step;
  clock->dt = dt;
  return CRYO_SCHEDULE_OK;
}

double cryo_schedule_clock_time(const cryo_schedule_clock *clock, int64_t step)
{
  return clock->anchor_time + (double) (step - clock->anchor_step) * clock->dt;
}

cryo_schedule_status cryo_schedule_clock_rebase(cryo_schedule_clock *clock, int64_t step, double dt)
{
  if (!clock) return CRYO_SCHEDULE_ERROR_NULL_ARGUMENT;
  if (!isfinite(dt) || dt <= 0.0) return CRYO_SCHEDULE_ERROR_TIMESTEP;
  clock->anchor_time = cryo_schedule_clock_time(clock, step);
  clock->anchor_step = step;
  clock->dt = dt;
  return CRYO_SCHEDULE_OK;
}

/* *cycles = the cycles complete at step n of a clock. */
static cryo_schedule_status cycles_at(const cryo_schedule_params *p, const cryo_schedule_clock *clock,
                                      double tolerance, int64_t n, int *cycles)
{
  cryo_schedule_point point = {0};
  const cryo_schedule_status status =
      cryo_schedule_evaluate(p, cryo_schedule_clock_time(clock, n), tolerance, &point);
  *cycles = point.completed_cycles;
  return status;
}

/* The first step of the clock on which `cycles` cycles are complete, `duration` after its start.
   Completed cycles never decrease with the step, so a bisection below the first step at or past
   duration / dt finds it (rounding and the tolerance can only move it a little earlier). */
static cryo_schedule_status first_step_with(const cryo_schedule_params *p,
                                            const cryo_schedule_clock *clock, double tolerance,
                                            int cycles, double duration, int64_t *step)
{
  const double estimate = ceil(duration / clock->dt);
  if (!(estimate <= (double) CRYO_SCHEDULE_MAX_STEPS)) return CRYO_SCHEDULE_ERROR_STEPS;
  int64_t low = -1, high = (int64_t) estimate; /* complete at low < cycles <= complete at high */
  for (;;) {
    int complete = 0;
    const cryo_schedule_status status = cycles_at(p, clock, tolerance, high, &complete);
    if (status != CRYO_SCHEDULE_OK) return status;
    if (complete >= cycles) break;
    low = high;
    if (++high > CRYO_SCHEDULE_MAX_STEPS) return CRYO_SCHEDULE_ERROR_STEPS;
  }
  while (high - low > 1) {
    const int64_t middle = low + (high - low) / 2;
    int complete = 0;
    const cryo_schedule_status status = cycles_at(p, clock, tolerance, middle, &complete);
    if (status != CRYO_SCHEDULE_OK) return status;
    if (complete >= cycles)
      high = middle;
    else
      low = middle;
  }
  *step = high;
  return CRYO_SCHEDULE_OK;
}

cryo_schedule_status cryo_schedule_steps(const cryo_schedule_params *p, double dt, double tolerance,
                                         int64_t *cycle_steps, int64_t *total_steps)
{
  if (!cycle_steps || !total_steps) return CRYO_SCHEDULE_ERROR_NULL_ARGUMENT;
  cryo_schedule_status status = cryo_schedule_validate(p);
  if (status != CRYO_SCHEDULE_OK) return status;
  if (!isfinite(tolerance) || tolerance < 0.0) return CRYO_SCHEDULE_ERROR_TIME;
  cryo_schedule_clock clock;
  status = cryo_schedule_clock_start(&clock, 0.0, 0, dt);
  if (status != CRYO_SCHEDULE_OK) return status;
  int64_t cycle = 0, total = 0;
  status = first_step_with(p, &clock, tolerance, p->ncycles, cryo_schedule_total_duration(p), &total);
  if (status != CRYO_SCHEDULE_OK) return status;
  status = first_step_with(p, &clock, tolerance, 1, cryo_schedule_cycle_duration(p), &cycle);
  if (status != CRYO_SCHEDULE_OK) return status;
  *cycle_steps = cycle;
  *total_steps = total;
  return CRYO_SCHEDULE_OK;
}
