/* cryo_segments: temperature programs made of consecutive linear segments (ramps and holds), the
 * one lookup of "where is the program at this time" that the cycles of cryo_schedule and the scan
 * of cryo_scan share.
 *
 * Pure C11, no allocation.
 */
#ifndef CRYO_SEGMENTS_H
#define CRYO_SEGMENTS_H

#ifdef __cplusplus
extern "C" {
#endif

/* A linear change of the target from t_begin to t_end over `duration` (>= 0; 0 for a skipped
   hold), labelled with the caller's phase value. */
typedef struct {
  double duration;
  double t_begin;
  double t_end;
  int phase;
} cryo_segment;

/* The tolerance for comparing an elapsed time with segment boundaries: the caller's `tolerance`
   plus a few ulps of `elapsed` itself, which carries rounding from n*dt and anchor sums. */
double cryo_segments_tolerance(double tolerance, double elapsed);

/* The index of the segment of seg[0..count-1] (count >= 1) that holds time `tau` >= 0 since the
   start of seg[0], and in *target the target temperature there. A boundary within `tol` belongs
   to the segment that starts there (so a zero-duration segment is passed over unless it is the
   last); a time past the end lies at the end of the last segment. */
int cryo_segments_locate(const cryo_segment *seg, int count, double tau, double tol, double *target);

#ifdef __cplusplus
}
#endif

#endif
