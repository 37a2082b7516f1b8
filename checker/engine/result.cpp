#include "checker/engine/result.hpp"

namespace lmc {

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok:
      return "ok";
    case Verdict::violation:
      return "violation";
    case Verdict::incomplete:
      return "incomplete";
  }
  return "unknown";
}

std::string_view to_string(PropertyStatus status) {
  switch (status) {
    case PropertyStatus::holds:
      return "holds";
    case PropertyStatus::violated:
      return "violated";
    case PropertyStatus::reached:
      return "reached";
    case PropertyStatus::unreached:
      return "unreached";
    case PropertyStatus::unknown:
      return "unknown";
    case PropertyStatus::skipped:
      return "skipped";
  }
  return "unknown";
}

const PropertyResult* CheckResult::find(std::string_view name) const {
  for (const auto& property : properties) {
    if (property.name == name) return &property;
  }
  return nullptr;
}

int exit_code(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok:
      return 0;
    case Verdict::violation:
      return 1;
    case Verdict::incomplete:
      return 3;
  }
  return 3;
}

}  // namespace lmc
