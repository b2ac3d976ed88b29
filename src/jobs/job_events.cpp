#include "jobs/job_events.h"

#include <boost/json.hpp>
#include <cstdio>

#include "common/log_level.h"
#include "common/time_format.h"

namespace portrait::jobs {
namespace {

std::string_view LevelOf(const JobEvent& event) {
  switch (event.outcome) {
    case JobOutcome::kClaimed:
      return "info";
    case JobOutcome::kDone:
      return event.reason.empty() ? "info" : "warn";
    case JobOutcome::kRetry:
    case JobOutcome::kPostponed:
    case JobOutcome::kLeaseLost:
      return "warn";
    case JobOutcome::kFailed:
    case JobOutcome::kUnresolved:
    case JobOutcome::kFault:
      return "error";
  }
  return "error";
}

void WriteLine(const boost::json::object& line) {
  // One fprintf per line: stdio locks the stream, so lines from many threads never interleave.
  std::fprintf(stderr, "%s\n", boost::json::serialize(line).c_str());
  std::fflush(stderr);
}

}  // namespace

std::string_view OutcomeName(JobOutcome outcome) {
  switch (outcome) {
    case JobOutcome::kClaimed:
      return "claimed";
    case JobOutcome::kDone:
      return "done";
    case JobOutcome::kRetry:
      return "retry";
    case JobOutcome::kPostponed:
      return "postponed";
    case JobOutcome::kFailed:
      return "failed";
    case JobOutcome::kLeaseLost:
      return "lease_lost";
    case JobOutcome::kUnresolved:
      return "unresolved";
    case JobOutcome::kFault:
      return "fault";
  }
  return "unknown";
}

void LogJobEvent(const JobEvent& event) {
  if (!ShouldLog(LevelOf(event))) return;
  boost::json::object line{{"ts", NowSeconds()},
                           {"level", LevelOf(event)},
                           {"event", "job"},
                           {"outcome", OutcomeName(event.outcome)},
                           {"worker", event.worker}};
  if (event.job_id != 0) {
    line["job_id"] = event.job_id;
    line["user_id"] = event.user_id;
    line["attempt"] = event.attempt;
  }
  if (event.outcome != JobOutcome::kClaimed && event.outcome != JobOutcome::kFault) {
    line["duration_ms"] = event.total_ms;
    line["render_ms"] = event.render_ms;
    line["decode_ms"] = event.decode_ms;
    line["decoded_at_upload"] = event.decoded_at_upload;
    line["encode_ms"] = event.encode_ms;
    line["store_ms"] = event.store_ms;
  }
  if (!event.reason.empty()) line["reason"] = event.reason;
  if (event.image) line["image_id"] = event.image->image_id;
  WriteLine(line);
}

void LogJanitorPass(int images_deleted, int uploads_deleted, std::string_view problem) {
  if (!ShouldLog(problem.empty() ? "info" : "error")) return;
  boost::json::object line{{"ts", NowSeconds()},
                           {"level", problem.empty() ? "info" : "error"},
                           {"event", "janitor"},
                           {"images_deleted", images_deleted},
                           {"uploads_deleted", uploads_deleted}};
  if (!problem.empty()) line["reason"] = problem;
  WriteLine(line);
}

}  // namespace portrait::jobs
