#include "checker/engine/property.hpp"

namespace lmc {

std::string_view to_string(PropertyKind kind) {
  switch (kind) {
    case PropertyKind::always:
      return "always";
    case PropertyKind::sometimes:
      return "sometimes";
    case PropertyKind::liveness:
      return "liveness";
  }
  return "unknown";
}

}  // namespace lmc
