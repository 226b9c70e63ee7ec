// Unit tests of the cluster kernel against a breadth-first search, and of the distributed label
// propagation it supports (simulated with two "processors" that share ghost copies).
#include "cryo_cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <queue>
#include <random>
#include <vector>

namespace {

std::vector<int> bfs_components(int n, const std::vector<int> &link)
{
  std::vector<std::vector<int>> adjacent(n);
  for (size_t k = 0; k < link.size(); k += 2) {
    adjacent[link[k]].push_back(link[k + 1]);
    adjacent[link[k + 1]].push_back(link[k]);
  }
  std::vector<int> component(n, -1);
  for (int start = 0; start < n; ++start) {
    if (component[start] >= 0) continue;
    std::vector<int> members;
    std::queue<int> queue;
    queue.push(start);
    component[start] = start;
    while (!queue.empty()) {
      const int i = queue.front();
      queue.pop();
      members.push_back(i);
      for (int j : adjacent[i])
        if (component[j] < 0) {
          component[j] = start;
          queue.push(j);
        }
    }
    const int smallest = *std::min_element(members.begin(), members.end());
    for (int i : members) component[i] = smallest;
  }
  return component;
}

TEST(Cluster, ComponentsMatchBreadthFirstSearch)
{
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 200;
    std::uniform_int_distribution<int> pick(0, n - 1);
    std::vector<int> link;
    for (int k = 0; k < 150; ++k) {
      link.push_back(pick(rng));
      link.push_back(pick(rng));    // self links and repeats included
    }
    std::vector<int> component(n);
    ASSERT_EQ(cryo_cluster_components(n, (int) link.size() / 2, link.data(), component.data()),
              CRYO_CLUSTER_OK);
    EXPECT_EQ(component, bfs_components(n, link)) << "trial " << trial;
  }
}

TEST(Cluster, MinLabelsWithinComponents)
{
  // components {0, 2, 4}, {1}, {3, 5}
  const std::vector<int> link = {0, 2, 4, 2, 5, 3};
  std::vector<int> component(6);
  ASSERT_EQ(cryo_cluster_components(6, 3, link.data(), component.data()), CRYO_CLUSTER_OK);
  EXPECT_EQ(component, (std::vector<int>{0, 1, 0, 3, 0, 3}));
  std::vector<int64_t> label = {50, 7, 9, 40, 30, 33};
  int changed = -1;
  ASSERT_EQ(cryo_cluster_min_labels(6, component.data(), label.data(), &changed), CRYO_CLUSTER_OK);
  EXPECT_EQ(label, (std::vector<int64_t>{9, 7, 9, 33, 9, 33}));
  EXPECT_EQ(changed, 1);
  ASSERT_EQ(cryo_cluster_min_labels(6, component.data(), label.data(), &changed), CRYO_CLUSTER_OK);
  EXPECT_EQ(changed, 0);
}

// A chain of atoms 1..12 split over two "processors" A (atoms 1-6) and B (7-12), each holding ghost
// copies of the other's end atoms: the labels of the owned atoms, sent to the ghost copies each
// round, converge to the smallest atom ID, 1, on both sides in a few rounds.
TEST(Cluster, DistributedRoundsConverge)
{
  // A: points 0-5 own atoms 1-6, point 6 is a ghost of atom 7; B: points 0-5 own 7-12, point 6 a ghost of 6
  const std::vector<int> chain = {0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6};
  std::vector<int> comp_a(7), comp_b(7);
  ASSERT_EQ(cryo_cluster_components(7, 6, chain.data(), comp_a.data()), CRYO_CLUSTER_OK);
  const std::vector<int> chain_b = {6, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5};
  ASSERT_EQ(cryo_cluster_components(7, 6, chain_b.data(), comp_b.data()), CRYO_CLUSTER_OK);
  std::vector<int64_t> a = {1, 2, 3, 4, 5, 6, 7}, b = {7, 8, 9, 10, 11, 12, 6};
  int rounds = 0, changed_a = 1, changed_b = 1;
  while (changed_a || changed_b) {
    ASSERT_EQ(cryo_cluster_min_labels(7, comp_a.data(), a.data(), &changed_a), CRYO_CLUSTER_OK);
    ASSERT_EQ(cryo_cluster_min_labels(7, comp_b.data(), b.data(), &changed_b), CRYO_CLUSTER_OK);
    // forward communication: owners' labels to the ghost copies
    a[6] = b[0];
    b[6] = a[5];
    ASSERT_LT(++rounds, 10);
  }
  for (int64_t v : a) EXPECT_EQ(v, 1);
  for (int64_t v : b) EXPECT_EQ(v, 1);
  EXPECT_LE(rounds, 3);
}

TEST(Cluster, BadArgumentsHaveSpecificStatus)
{
  int component[3];
  const int bad_link[2] = {0, 3};
  EXPECT_EQ(cryo_cluster_components(3, 1, bad_link, component), CRYO_CLUSTER_ERROR_COUNT);
  EXPECT_EQ(cryo_cluster_components(-1, 0, nullptr, component), CRYO_CLUSTER_ERROR_COUNT);
  EXPECT_EQ(cryo_cluster_components(3, 1, nullptr, component), CRYO_CLUSTER_ERROR_NULL_ARGUMENT);
  const int not_a_root[2] = {0, 5};
  int64_t label[2] = {1, 2};
  EXPECT_EQ(cryo_cluster_min_labels(2, not_a_root, label, nullptr), CRYO_CLUSTER_ERROR_COUNT);
  for (int s = CRYO_CLUSTER_OK; s <= CRYO_CLUSTER_ERROR_COUNT; ++s)
    EXPECT_STRNE(cryo_cluster_status_message((cryo_cluster_status) s), "unknown status");
}

}    // namespace
