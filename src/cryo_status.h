/* cryo_status: what every kernel status enum shares. A function that returns a status is declared
 * CRYO_MUST_CHECK: a caller that ignores the status gets a compiler warning (an error in the
 * plugin's own build: -Werror=unused-result), so that no failure passes silently. */
#ifndef CRYO_STATUS_H
#define CRYO_STATUS_H

#if defined(__GNUC__) || defined(__clang__)
#define CRYO_MUST_CHECK __attribute__((warn_unused_result))
#else
#define CRYO_MUST_CHECK
#endif

#endif
