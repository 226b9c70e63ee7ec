/* cryo_schedule: the cyclic temperature schedule driven by `fix thermal/cycle`.
 *
 * A cycle is four segments: a ramp, a hold, the opposite ramp, the opposite hold. Starting high it is
 *   cooling (Thigh -> Tlow at rate_cool), cold hold (hold_low), heating (Tlow -> Thigh at rate_heat),
 *   hot hold (hold_high);
 * starting low the same segments run from heating. After ncycles cycles the final temperature of the
 * last cycle is held for ever (phase DONE).
 *
 * The schedule is a pure function of the elapsed schedule time. Time is kept by a step clock
 * (cryo_schedule_clock) anchored where the timestep changes, so the elapsed time at step n is one
 * multiplication away from an anchor and does not drift over 64-bit step counts.
 *
 * Pure C11, no allocation, thread-safe (no global state).
 */
#ifndef CRYO_SCHEDULE_H
#define CRYO_SCHEDULE_H

#include "cryo_status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_SCHEDULE_OK = 0,
  CRYO_SCHEDULE_ERROR_NULL_ARGUMENT,
  CRYO_SCHEDULE_ERROR_TEMPERATURE_NOT_POSITIVE, /* Tlow <= 0 or a temperature not finite */
  CRYO_SCHEDULE_ERROR_TEMPERATURE_ORDER,        /* Tlow >= Thigh */
  CRYO_SCHEDULE_ERROR_RATE,                     /* a ramp rate <= 0 or not finite */
  CRYO_SCHEDULE_ERROR_HOLD,                     /* a hold duration < 0 or not finite */
  CRYO_SCHEDULE_ERROR_CYCLES,                   /* ncycles < 1 */
  CRYO_SCHEDULE_ERROR_START,                    /* start is neither HIGH nor LOW */
  CRYO_SCHEDULE_ERROR_TIME,                     /* elapsed time or tolerance < 0 or not finite */
  CRYO_SCHEDULE_ERROR_TIMESTEP,                 /* dt <= 0 or not finite */
  CRYO_SCHEDULE_ERROR_DURATION, /* cycle time <= 0, or cycle or total time (ncycles cycles) not finite */
  CRYO_SCHEDULE_ERROR_STEPS     /* the schedule needs more than CRYO_SCHEDULE_MAX_STEPS steps */
} cryo_schedule_status;

/* The largest number of steps a schedule may take: the step clock converts step counts to double,
 * which is exact up to 2^53, so beyond it steps no longer have times of their own. */
#define CRYO_SCHEDULE_MAX_STEPS INT64_C(9007199254740992)

/* A static English sentence describing the status (never NULL). */
const char *cryo_schedule_status_message(cryo_schedule_status status);

typedef enum { CRYO_SCHEDULE_START_HIGH = 0, CRYO_SCHEDULE_START_LOW = 1 } cryo_schedule_start;

/* Phase codes are part of the user interface (fix output vector element 2): keep their values. */
typedef enum {
  CRYO_PHASE_COOLING = 0,
  CRYO_PHASE_COLD_HOLD = 1,
  CRYO_PHASE_HEATING = 2,
  CRYO_PHASE_HOT_HOLD = 3,
  CRYO_PHASE_DONE = 4
} cryo_schedule_phase;

typedef struct {
  double t_high;    /* upper temperature, > t_low */
  double t_low;     /* lower temperature, > 0 */
  double rate_cool; /* cooling rate, temperature per time unit, > 0 */
  double rate_heat; /* heating rate, temperature per time unit, > 0 */
  double hold_low;  /* duration of the cold hold, >= 0 */
  double hold_high; /* duration of the hot hold, >= 0 */
  int ncycles;      /* >= 1 */
  cryo_schedule_start start;
} cryo_schedule_params;

typedef struct {
  double target;            /* the temperature the thermostat should hold */
  cryo_schedule_phase phase;
  int completed_cycles;     /* 0 .. ncycles */
  double time_left;         /* schedule time until the last cycle is complete, >= 0 */
} cryo_schedule_point;

CRYO_MUST_CHECK cryo_schedule_status cryo_schedule_validate(const cryo_schedule_params *params);

/* Durations of one cycle and of all cycles. NaN if a parameter is invalid; a duration that
 * cryo_schedule_validate rejects (CRYO_SCHEDULE_ERROR_DURATION) is returned as it is (inf or 0),
 * so that it can be reported. */
double cryo_schedule_cycle_duration(const cryo_schedule_params *params);
double cryo_schedule_total_duration(const cryo_schedule_params *params);

/* Evaluate the schedule at `elapsed` schedule time.
 * A point within `tolerance` (plus the rounding noise of `elapsed` itself) before a segment boundary
 * counts as being on the boundary, and a boundary belongs to the segment that starts there; this makes
 * "step n lands exactly on the end of the ramp" independent of floating-point rounding of n*dt. */
CRYO_MUST_CHECK cryo_schedule_status cryo_schedule_evaluate(const cryo_schedule_params *params, double elapsed,
                                            double tolerance, cryo_schedule_point *point);

/* Steps of size dt from schedule time 0 until the first cycle is complete (*cycle_steps) and until
 * the last one is (*total_steps): the first step n whose time, as a clock started at time 0 with dt
 * gives it, cryo_schedule_evaluate with `tolerance` finds that many cycles complete at. These are
 * the steps on which a driver that evaluates the schedule at every step sees the cycles complete.
 * CRYO_SCHEDULE_ERROR_STEPS if the schedule needs more than CRYO_SCHEDULE_MAX_STEPS steps. */
CRYO_MUST_CHECK cryo_schedule_status cryo_schedule_steps(const cryo_schedule_params *params, double dt, double tolerance,
                                         int64_t *cycle_steps, int64_t *total_steps);

/* Step clock: schedule time at step n is anchor_time + (n - anchor_step) * dt. */
typedef struct {
  double anchor_time;
  int64_t anchor_step;
  double dt;
} cryo_schedule_clock;

CRYO_MUST_CHECK cryo_schedule_status cryo_schedule_clock_start(cryo_schedule_clock *clock, double time, int64_t step,
                                               double dt);
double cryo_schedule_clock_time(const cryo_schedule_clock *clock, int64_t step);
/* The timestep changes to `dt` for the steps after `step`; the time at `step` is kept. */
CRYO_MUST_CHECK cryo_schedule_status cryo_schedule_clock_rebase(cryo_schedule_clock *clock, int64_t step, double dt);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_schedule_status status) { return cryo_schedule_status_message(status); }
#endif

#endif
