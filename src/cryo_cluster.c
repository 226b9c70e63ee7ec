/* cryo_cluster: see cryo_cluster.h. */
#include "cryo_cluster.h"

#include <stddef.h>

const char *cryo_cluster_status_message(cryo_cluster_status status)
{
  switch (status) {
    case CRYO_CLUSTER_OK:
      return "success";
    case CRYO_CLUSTER_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_CLUSTER_ERROR_COUNT:
      return "a count is negative or a point index is out of range";
  }
  return "unknown status";
}

/* union-find with path halving; the root of a set is its smallest index */
static int find_root(int *parent, int i)
{
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

cryo_cluster_status cryo_cluster_components(int npoints, int nlinks, const int *link, int *component)
{
  if (npoints < 0 || nlinks < 0) return CRYO_CLUSTER_ERROR_COUNT;
  if ((npoints > 0 && !component) || (nlinks > 0 && !link)) return CRYO_CLUSTER_ERROR_NULL_ARGUMENT;
  for (int k = 0; k < 2 * nlinks; ++k)
    if (link[k] < 0 || link[k] >= npoints) return CRYO_CLUSTER_ERROR_COUNT;

  for (int i = 0; i < npoints; ++i) component[i] = i;    // used as the parent array
  for (int k = 0; k < nlinks; ++k) {
    const int a = find_root(component, link[2 * k]), b = find_root(component, link[2 * k + 1]);
    if (a < b) component[b] = a;
    else if (b < a) component[a] = b;
  }
  for (int i = 0; i < npoints; ++i) component[i] = find_root(component, i);
  return CRYO_CLUSTER_OK;
}

cryo_cluster_status cryo_cluster_min_labels(int npoints, const int *component, int64_t *label,
                                            int *changed)
{
  if (npoints < 0) return CRYO_CLUSTER_ERROR_COUNT;
  if (npoints > 0 && (!component || !label)) return CRYO_CLUSTER_ERROR_NULL_ARGUMENT;
  for (int i = 0; i < npoints; ++i)
    if (component[i] < 0 || component[i] > i) return CRYO_CLUSTER_ERROR_COUNT;

  // component[i] <= i is the smallest index of its component: gather the minimum at the root,
  // then hand it back to every member
  int any = 0;
  for (int i = 0; i < npoints; ++i) {
    const int root = component[i];
    if (label[i] < label[root]) {
      label[root] = label[i];
      any = 1;
    }
  }
  for (int i = 0; i < npoints; ++i) {
    const int64_t smallest = label[component[i]];
    if (label[i] != smallest) {
      label[i] = smallest;
      any = 1;
    }
  }
  if (changed) *changed = any;
  return CRYO_CLUSTER_OK;
}
