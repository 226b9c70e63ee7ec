// Unit tests of cryo_track: persistent band IDs from the overlaps of current and previous bands.
// Expected IDs are worked out by hand from the rules in cryo_track.h.
#include "cryo_track.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace {

struct Result {
  std::vector<int64_t> ids, held;
  int64_t next_id;
};

Result assign(int nbands, std::vector<cryo_track_overlap> overlaps, int64_t next_id)
{
  Result r{std::vector<int64_t>(nbands + 1, -7), std::vector<int64_t>(nbands + 1, -7), next_id};
  EXPECT_EQ(cryo_track_assign(nbands, (int) overlaps.size(), overlaps.data(), &r.next_id, r.ids.data(),
                              r.held.data()),
            CRYO_TRACK_OK);
  r.ids.resize(nbands);
  r.held.resize(nbands);
  return r;
}

}    // namespace

TEST(CryoTrack, FirstEvaluationGivesNewIdsInBandOrder)
{
  const Result r = assign(3, {}, 1);
  EXPECT_EQ(r.ids, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(r.held, (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(r.next_id, 4);
}

TEST(CryoTrack, BandsContinueTheirPluralityNotTheirMajority)
{
  // band 0 grew from 40 atoms of band 5 to 400 atoms (360 new ones with no previous band: they
  // do not count); band 1 holds 30 atoms of band 9 and 10 of band 5
  const Result r = assign(2, {{0, 5, 40}, {1, 9, 30}, {1, 5, 10}}, 12);
  EXPECT_EQ(r.ids, (std::vector<int64_t>{5, 9}));
  EXPECT_EQ(r.held, (std::vector<int64_t>{40, 30}));
  EXPECT_EQ(r.next_id, 12);
}

TEST(CryoTrack, MergeKeepsTheIdWithMostAtomsAndTiesTheSmallerId)
{
  // bands 3 and 4 merged into band 0: 3 brought more atoms
  EXPECT_EQ(assign(1, {{0, 4, 50}, {0, 3, 70}}, 10).ids, (std::vector<int64_t>{3}));
  // the same count from both: the smaller ID survives, whatever the order of the overlaps
  EXPECT_EQ(assign(1, {{0, 4, 50}, {0, 3, 50}}, 10).ids, (std::vector<int64_t>{3}));
  EXPECT_EQ(assign(1, {{0, 3, 50}, {0, 4, 50}}, 10).ids, (std::vector<int64_t>{3}));
}

TEST(CryoTrack, CutBandContinuesInTheLargerPieceTheOtherIsNew)
{
  // band 7 was cut: band 0 has 20 of its atoms, band 1 has 80
  Result r = assign(2, {{0, 7, 20}, {1, 7, 80}}, 8);
  EXPECT_EQ(r.ids, (std::vector<int64_t>{8, 7}));
  EXPECT_EQ(r.held, (std::vector<int64_t>{0, 80}));
  EXPECT_EQ(r.next_id, 9);
  // equal pieces: the smaller band index (the smaller cluster ID) keeps it
  r = assign(2, {{1, 7, 50}, {0, 7, 50}}, 8);
  EXPECT_EQ(r.ids, (std::vector<int64_t>{7, 8}));
}

TEST(CryoTrack, LoserDoesNotFallBackOnItsSecondChoice)
{
  // band 1's candidate is 2 (60 atoms), which band 0 holds better (90); band 1 also holds 10 of
  // band 6, which nobody else claims, but a band continues only its candidate: band 1 is new
  const Result r = assign(2, {{0, 2, 90}, {1, 2, 60}, {1, 6, 10}}, 20);
  EXPECT_EQ(r.ids, (std::vector<int64_t>{2, 20}));
}

TEST(CryoTrack, ResultDoesNotDependOnTheOrderOfTheOverlaps)
{
  std::vector<cryo_track_overlap> overlaps = {{0, 1, 5}, {0, 2, 5}, {1, 2, 9}, {2, 3, 4}, {2, 1, 4}, {3, 3, 4}};
  const Result first = assign(4, overlaps, 10);
  // hand: candidates 0 -> 1 (tie 5/5, smaller ID), 1 -> 2, 2 -> 1 (tie 4/4), 3 -> 3;
  // 1 is claimed by band 0 (5) and band 2 (4): band 0 keeps it, band 2 is new (10)
  EXPECT_EQ(first.ids, (std::vector<int64_t>{1, 2, 10, 3}));
  // every one of the 720 orders
  const auto before = [](const cryo_track_overlap &a, const cryo_track_overlap &b) {
    return a.band != b.band ? a.band < b.band : a.previous < b.previous;
  };
  std::sort(overlaps.begin(), overlaps.end(), before);
  int orders = 0;
  do {
    EXPECT_EQ(assign(4, overlaps, 10).ids, first.ids);
    ++orders;
  } while (std::next_permutation(overlaps.begin(), overlaps.end(), before));
  EXPECT_EQ(orders, 720);
}

TEST(CryoTrack, RejectsBadInput)
{
  int64_t next = 1, ids[2], held[2];
  const cryo_track_overlap out_of_range = {2, 1, 1}, no_atoms = {0, 1, 0}, bad_id = {0, 0, 3};
  EXPECT_EQ(cryo_track_assign(2, 1, &out_of_range, &next, ids, held), CRYO_TRACK_ERROR_OVERLAP);
  EXPECT_EQ(cryo_track_assign(2, 1, &no_atoms, &next, ids, held), CRYO_TRACK_ERROR_OVERLAP);
  EXPECT_EQ(cryo_track_assign(2, 1, &bad_id, &next, ids, held), CRYO_TRACK_ERROR_OVERLAP);
  EXPECT_EQ(cryo_track_assign(2, 0, nullptr, nullptr, ids, held), CRYO_TRACK_ERROR_NULL_ARGUMENT);
  next = 0;
  EXPECT_EQ(cryo_track_assign(2, 0, nullptr, &next, ids, held), CRYO_TRACK_ERROR_ID);
  next = INT64_MAX;
  EXPECT_EQ(cryo_track_assign(2, 0, nullptr, &next, ids, held), CRYO_TRACK_ERROR_ID);
  EXPECT_STRNE(cryo_track_status_message(CRYO_TRACK_ERROR_ID), "unknown status");
}
