/* cryo_cluster: connected components of linked points, and the smallest label of each.
 *
 * compute sbzone/atom groups band candidates into clusters across processors: every processor
 * finds the components of its owned and ghost candidates once (union-find over the links), then
 * repeatedly gives every point the smallest label of its component and sends the labels of owned
 * atoms to their ghost copies, until no label changes. Each round crosses a whole processor
 * domain, so the rounds count processor hops, not atoms.
 *
 * Pure C11, caller-owned arrays.
 */
#ifndef CRYO_CLUSTER_H
#define CRYO_CLUSTER_H

#include "cryo_status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_CLUSTER_OK = 0,
  CRYO_CLUSTER_ERROR_NULL_ARGUMENT,
  CRYO_CLUSTER_ERROR_COUNT    /* a negative count or an index out of range */
} cryo_cluster_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_cluster_status_message(cryo_cluster_status status);

/* component[i] = the smallest point index in the component of point i, where points are linked by
 * the nlinks pairs (link[2k], link[2k+1]). */
CRYO_MUST_CHECK cryo_cluster_status cryo_cluster_components(int npoints, int nlinks, const int *link, int *component);

/* label[i] = the smallest label in the component of point i (components as above). *changed (if
 * not NULL) receives 1 if any label changed, else 0. */
CRYO_MUST_CHECK cryo_cluster_status cryo_cluster_min_labels(int npoints, const int *component, int64_t *label,
                                            int *changed);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_cluster_status status) { return cryo_cluster_status_message(status); }
#endif

#endif
