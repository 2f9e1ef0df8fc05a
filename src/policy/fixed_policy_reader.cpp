#include "mapishut/policy.h"

namespace mapishut {
namespace {

class FixedPolicyReader final : public PolicyReader {
 public:
  FixedPolicyReader(std::optional<FastShutdownBehavior> value, std::string origin) {
    reading_.value = value;
    reading_.file = std::move(origin);
    reading_.consulted.push_back(ConsultedSource{reading_.file, "", value ? ConsultedSource::Outcome::kUsed
                                                                             : ConsultedSource::Outcome::kNoValue,
                                                 value ? "a fixed value" : "a fixed absence of a value"});
  }
  PolicyReading Read() const override { return reading_; }

 private:
  PolicyReading reading_;
};

}  // namespace

const char* BehaviorName(FastShutdownBehavior b) {
  switch (b) {
    case FastShutdownBehavior::kUnlessOptedOut: return "unless opted out";
    case FastShutdownBehavior::kOnlyIfAllOptedIn: return "only if all opted in";
    case FastShutdownBehavior::kDisabled: return "disabled";
  }
  return "unknown";
}

std::unique_ptr<PolicyReader> NewFixedPolicyReader(std::optional<FastShutdownBehavior> value, std::string origin) {
  return std::make_unique<FixedPolicyReader>(value, std::move(origin));
}

}  // namespace mapishut
