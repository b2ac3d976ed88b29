#pragma once
// Internal to src/jobs: deletes the files of replaced images whose grace period has passed.
#include <cstdint>
#include <string>

#include "blob/blob_store.h"
#include "store/metadata_store.h"

namespace portrait::jobs {

struct JanitorPass {
  int images_deleted = 0;  // all seven files gone and the image forgotten by the store
  std::string problem;     // the last blob deletion that failed; that image is tried again later
};

// Deletes the seven variant files of every retired image whose delete_after <= now, then has
// the store forget it. An image with a file that cannot be deleted stays listed for the next
// pass. Store faults propagate (Fault).
JanitorPass DeleteExpiredImages(store::MetadataStore& store, blob::BlobStore& blobs, int64_t now);

}  // namespace portrait::jobs
