/* CryoCycle: see atom_fetch.h. */

#include "atom_fetch.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "memory.h"
#include "strain_reference.h"

#include <algorithm>
#include <unordered_map>

using namespace LAMMPS_NS;

namespace {
constexpr int RVOUS = 0;    // irregular communication: only the processors that exchange data
enum Kind { REQUEST = 0, OFFER = 1, FOUND = 2, MISSING = 3, FLAG = 4 };
}    // namespace

struct AtomFetch::Request {
  AtomFetch::Positions positions;    // OFFER: the owner's values
  tagint tag;
  int proc;    // the requesting or offering processor
  int kind;
};

struct AtomFetch::Answer {
  AtomFetch::Positions positions;
  tagint tag;
  int kind;    // FOUND or MISSING (to the requester), FLAG (to the owner)
};

double AtomFetch::fetch(StrainReference &reference, const std::vector<tagint> &tags,
                        std::vector<Positions> &positions, std::vector<char> &found)
{
  positions.assign(tags.size(), Positions{});
  found.assign(tags.size(), 0);
  double bytes = exchange(reference, tags, false, positions, found);
  std::vector<tagint> unanswered;
  for (size_t k = 0; k < tags.size(); ++k)
    if (!found[k]) unanswered.push_back(tags[k]);
  int mine = unanswered.empty() ? 0 : 1, any = 0;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, world);
  if (!any) return bytes;
  std::vector<Positions> second(unanswered.size());
  std::vector<char> second_found(unanswered.size(), 0);
  bytes += exchange(reference, unanswered, true, second, second_found);
  for (size_t u = 0; u < unanswered.size(); ++u) {
    const size_t k = std::lower_bound(tags.begin(), tags.end(), unanswered[u]) - tags.begin();
    positions[k] = second[u];
    found[k] = second_found[u];
  }
  return bytes;
}

/* one rendezvous: requests for `tags`, offers of the flagged atoms (all: of every owned atom) */
double AtomFetch::exchange(StrainReference &reference, const std::vector<tagint> &tags, bool all,
                           std::vector<Positions> &positions, std::vector<char> &found)
{
  const int nprocs = comm->nprocs;
  std::vector<Request> sent;
  std::vector<int> procs;
  for (tagint tag : tags) {
    sent.push_back({{}, tag, comm->me, REQUEST});
    procs.push_back((int) (tag % nprocs));
  }
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!all && !reference.far_partner(i)) continue;
    Request offer{{}, atom->tag[i], comm->me, OFFER};
    std::copy(reference.x0(i), reference.x0(i) + 3, offer.positions.x0);
    domain->unmap(atom->x[i], atom->image[i], offer.positions.x);
    sent.push_back(offer);
    procs.push_back((int) (atom->tag[i] % nprocs));
  }
  offer_all = all;
  answer_bytes = 0.0;
  char *received = nullptr;
  const int nreceived = comm->rendezvous(RVOUS, (int) sent.size(), (char *) sent.data(),
                                         sizeof(Request), 0, procs.data(), match, 0, received,
                                         sizeof(Answer), (void *) this);
  const auto *answers = (const Answer *) received;
  for (int a = 0; a < nreceived; ++a) {
    if (answers[a].kind == FLAG) {
      const int i = atom->map(answers[a].tag);
      if (i >= 0 && i < atom->nlocal) reference.set_far_partner(i);
      continue;
    }
    const size_t k = std::lower_bound(tags.begin(), tags.end(), answers[a].tag) - tags.begin();
    if (k == tags.size() || tags[k] != answers[a].tag || answers[a].kind != FOUND) continue;
    positions[k] = answers[a].positions;
    found[k] = 1;
  }
  memory->sfree(received);
  return (double) sent.size() * sizeof(Request) + answer_bytes;
}

/* rendezvous callback: answer every request from the offers received with it */
int AtomFetch::match(int n, char *inbuf, int &flag, int *&proclist, char *&outbuf, void *ptr)
{
  auto *self = (AtomFetch *) ptr;
  const auto *in = (const Request *) inbuf;
  std::unordered_map<tagint, int> offered;
  int nrequests = 0;
  for (int k = 0; k < n; ++k) {
    if (in[k].kind == OFFER) offered.emplace(in[k].tag, k);
    else ++nrequests;
  }
  // a request of a full round also flags the atom at its owner
  const int most = nrequests * (self->offer_all ? 2 : 1);
  auto *out = (Answer *) self->memory->smalloc((bigint) most * sizeof(Answer) + 1, "atom_fetch:answers");
  self->memory->create(proclist, most + 1, "atom_fetch:procs");
  int m = 0;
  for (int k = 0; k < n; ++k) {
    if (in[k].kind != REQUEST) continue;
    const auto offer = offered.find(in[k].tag);
    if (offer == offered.end()) {
      out[m] = {{}, in[k].tag, MISSING};
      proclist[m++] = in[k].proc;
      continue;
    }
    out[m] = {in[offer->second].positions, in[k].tag, FOUND};
    proclist[m++] = in[k].proc;
    if (self->offer_all) {
      out[m] = {{}, in[k].tag, FLAG};
      proclist[m++] = in[offer->second].proc;
    }
  }
  outbuf = (char *) out;
  flag = 2;
  self->answer_bytes = (double) m * sizeof(Answer);
  return m;
}
