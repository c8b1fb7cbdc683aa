#include "common/latency_verdict.h"

#include <cmath>
#include <cstdio>

namespace a2w::host {

namespace {
std::string frames(double f) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", f);
  return text;
}
}  // namespace

LatencyVerdict judgeLatency(double measuredFrames, const ReportedLatency& reported, std::int32_t bufferFrames) {
  LatencyVerdict v;
  v.reportedFrames = static_cast<std::int64_t>(reported.input) + reported.output;
  v.unseenFrames = measuredFrames - static_cast<double>(v.reportedFrames);
  const double buffer = bufferFrames;
  v.withinOneBuffer = std::abs(v.unseenFrames) <= buffer;
  const std::string measured = "measured " + frames(measuredFrames);
  const std::string report = "reported " + std::to_string(v.reportedFrames);
  if (v.withinOneBuffer) {
    v.text = measured + " is within one buffer (" + std::to_string(bufferFrames) + ") of the " + report + ".";
  } else if (v.unseenFrames > 0) {
    v.text = measured + " is " + frames(v.unseenFrames) + " frames more than the " + report +
             ": delay the driver cannot see (added after WASAPI) or under-reported.";
  } else {
    v.text = measured + " is " + frames(-v.unseenFrames) + " frames less than the " + report + ".";
  }
  if (!reported.osFrames) return v;

  v.osFrames = *reported.osFrames;
  v.driverPartFrames = v.reportedFrames - *v.osFrames;
  v.driverPartErrorFrames = measuredFrames - static_cast<double>(*v.driverPartFrames);
  v.withinOneBufferOfDriverPart = std::abs(*v.driverPartErrorFrames) <= buffer;
  if (v.withinOneBuffer || *v.osFrames == 0) return v;
  const std::string os = std::to_string(*v.osFrames);
  const std::string own = std::to_string(*v.driverPartFrames);
  if (v.unseenFrames < 0 && *v.driverPartErrorFrames <= buffer) {
    // Less than reported, and about what the driver itself adds (or less):
    // the loop did not pass through the OS's share.
    v.text += " " + os + " of the report is the OS's GetStreamLatency, which this loop does not pass through; ";
    if (*v.withinOneBufferOfDriverPart) {
      v.text += "against the driver's own part (" + own + ") the measured is " + frames(*v.driverPartErrorFrames) +
                ", within one buffer.";
    } else {
      v.text += "it is also " + frames(-*v.driverPartErrorFrames) + " frames under the driver's own part (" + own +
                "), whose worst-case terms (packet wait, queue) this run did not use up.";
    }
  } else if (v.unseenFrames < 0) {
    v.text += " Of the report, " + os + " is the OS's GetStreamLatency; the loop passed through about " +
              frames(*v.driverPartErrorFrames) + " of it.";
  }
  return v;
}

}  // namespace a2w::host
